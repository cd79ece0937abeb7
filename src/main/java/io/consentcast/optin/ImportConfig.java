package io.consentcast.optin;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** CSV imports ({@code consentcast.imports.*}): limits of an upload and the background worker. */
@ConfigMapping(prefix = "consentcast.imports")
public interface ImportConfig {

    /** How often an instance looks for import jobs to work on ({@code off}: never, for tests that drive it). */
    @WithDefault("1s")
    String every();

    /** Rows applied per transaction. */
    @WithDefault("500")
    int chunkSize();

    /** How long a claimed job stays with its instance without progress before another instance resumes it. */
    @WithDefault("PT2M")
    Duration lease();

    /** Largest accepted file (the HTTP body limit, 20 MB, is above it). */
    @WithDefault("16777216")
    int maxBytes();

    /** Most rows per file (the header row not counted). */
    @WithDefault("50000")
    int maxRows();

    /** A job whose chunk fails this many times with an unexpected error is FAILED (rows applied so far stay). */
    @WithDefault("3")
    int maxAttempts();

    /** Names this instance in leases; a random id when unset. */
    Optional<String> instanceId();
}
