package io.consentcast.consent;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the consent ledger under {@code consentcast.ledger.} (environment: {@code CONSENTCAST_LEDGER_...}). */
@ConfigMapping(prefix = "consentcast.ledger")
public interface LedgerConfig {

    /**
     * Master key from which each workspace's HMAC key for phone numbers is derived
     * (HMAC-SHA256(master, "consentcast-subscriber-key:" + tenant id)). Never stored in the database.
     */
    String hmacKey();

    /** Region used to read phone numbers written without a country code. */
    @WithDefault("DE")
    String defaultRegion();

    /** How long one export or verification may run (its transaction timeout). */
    @WithDefault("PT2H")
    Duration streamTimeout();

    /** Rows fetched per round trip when streaming the ledger. */
    @WithDefault("1000")
    int fetchSize();

    /** How often workspace checkpoints are written ({@code off} disables the job); read by the scheduler. */
    @WithDefault("1h")
    String checkpointEvery();

    /** How often the evidence retention of all workspaces is applied ({@code off} disables the job). */
    @WithDefault("24h")
    String retentionEvery();
}
