package io.consentcast.shared;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Application settings under the {@code consentcast.} prefix (environment: {@code CONSENTCAST_...}). */
@ConfigMapping(prefix = "consentcast")
public interface ConsentcastConfig {

    /** Public base URL of this installation, used in links that leave the application (invitations, landing pages). */
    String baseUrl();

    /** How long an invitation link stays valid. */
    @WithDefault("P7D")
    Duration invitationValidity();
}
