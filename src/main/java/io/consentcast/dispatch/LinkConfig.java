package io.consentcast.dispatch;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The click-counting redirect {@code /r/{token}} under {@code consentcast.links.} ({@link LinkRedirect}). */
@ConfigMapping(prefix = "consentcast.links")
public interface LinkConfig {

    /** Unknown tokens one client address may ask for within {@link #missWindow()}; beyond, 429 without a lookup. */
    @WithDefault("30")
    int missLimit();

    @WithDefault("10m")
    Duration missWindow();
}
