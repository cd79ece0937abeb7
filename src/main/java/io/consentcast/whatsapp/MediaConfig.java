package io.consentcast.whatsapp;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Uploaded header media ({@code consentcast.media.*}); see docs/DISPATCH.md, "Rich templates". */
@ConfigMapping(prefix = "consentcast.media")
public interface MediaConfig {

    /**
     * The largest file this installation keeps (bytes), below Meta's limits per format (image 5 MB, video 16 MB,
     * document 100 MB): the file is held in memory while it is checked, stored and uploaded, and the HTTP body limit
     * ({@code quarkus.http.limits.max-body-size}, 20M) must stay above it.
     */
    @WithDefault("16777216")
    long maxBytes();

    /**
     * How long a Graph media id is used before the file is uploaded again (Meta keeps media ids for 30 days): an
     * issue starting later than this after the upload uploads again, leaving the rest of the 30 days for sending.
     */
    @WithDefault("P27D")
    Duration reuseFor();

    /**
     * After Meta refused or could not take an upload, how long the engine's checks (every 15 s for a blocked issue)
     * wait before sending the whole file again; a member's "send" or "resume" retries at once.
     */
    @WithDefault("PT5M")
    Duration retryAfter();
}
