package io.consentcast.dispatch;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Dispatch engine settings under {@code consentcast.dispatch.} (environment: {@code CONSENTCAST_DISPATCH_...}). */
@ConfigMapping(prefix = "consentcast.dispatch")
public interface DispatchConfig {

    /** How often the engine looks for due and running issues ("off" disables it; tests drive it). */
    @WithDefault("1s")
    String every();

    /** Name of this instance in leases; default: a random id per start. */
    Optional<String> instanceId();

    /** Default messages per second per phone number for workspaces without a setting (Meta's default is 80). */
    @WithDefault("80")
    int defaultRate();

    /** Highest rate a workspace may set (Meta's highest throughput tier). */
    @WithDefault("1000")
    int maxRate();

    /** Default sending hours in the workspace's time zone, HH:mm-HH:mm. */
    @WithDefault("07:00-21:00")
    String defaultSendingHours();

    /** Default consent expiry: consent without interaction for this many months is not used. */
    @WithDefault("24")
    int defaultConsentExpiryMonths();

    /** Worker threads (each makes one blocking channel call at a time): at least rate x latency. */
    @WithDefault("320")
    int workers();

    /** Rows claimed per batch. */
    @WithDefault("200")
    int batchSize();

    /** How long a claimed row belongs to its worker before another instance may take it over. */
    @WithDefault("PT2M")
    Duration lease();

    /** How often blocked, system-paused and running issues are re-checked (preflight, crash recovery). */
    @WithDefault("PT15S")
    Duration recheck();

    /** Attempts for retryable errors (429, 5xx, timeouts) before a row fails. */
    @WithDefault("12")
    int maxAttempts();

    /** First backoff after a retryable error; doubles per attempt, with full jitter. */
    @WithDefault("PT2S")
    Duration backoffBase();

    @WithDefault("PT5M")
    Duration backoffMax();

    /** Pause before a recipient is tried again after Meta's pair rate limit (131056). */
    @WithDefault("PT6S")
    Duration recipientDelay();

    /**
     * How long a delivery whose send has an unknown outcome (the answer was lost after the request was written,
     * or its instance died) waits for a status webhook naming it before it ends FAILED {@code outcome-unknown}.
     * A later status webhook still turns it SENT.
     */
    @WithDefault("PT15M")
    Duration outcomeWindow();

    /**
     * How long an instance counts as sending on a phone number after its last claim there: every instance
     * sending on a number takes rate / (such instances). Longer than a batch takes (at most about ten seconds
     * of sending), so that an instance between two batches still counts.
     */
    @WithDefault("PT20S")
    Duration senderPresence();

    /** This many non-retryable failures in a row pause the issue ("error burst"). */
    @WithDefault("50")
    int errorBurst();

    /**
     * Members of the list decided per chunk while an issue is PREPARING (one {@code INSERT ... SELECT} and one short
     * transaction per chunk; the engine sends the rows of the chunks already written meanwhile).
     */
    @WithDefault("50000")
    int audienceChunk();

    /**
     * PostgreSQL's {@code work_mem} for the transaction of each chunk of an issue's audience (a join and a sort
     * of the chunk's members stay in memory; with one statement for the whole list, 256 MB took a million-member
     * start from 15 s to 9 s, docs/PERFORMANCE.md). Used by those transactions only.
     */
    @WithDefault("256MB")
    String materialiseWorkMem();
}
