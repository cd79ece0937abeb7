package io.consentcast.tenancy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What the application believes of the identity provider's tokens ({@code consentcast.identity.*}). */
@ConfigMapping(prefix = "consentcast.identity")
public interface IdentityConfig {

    /**
     * Whether a token <em>without</em> an {@code email_verified} claim counts as verified. Only for the dev login
     * (Quarkus Dev Services for OIDC issues no such claim; {@code %dev} sets it): in production mode it is
     * ignored, so a token must say {@code email_verified: true} (Keycloak always sends the claim). A token that says
     * {@code false} is never verified.
     */
    @WithDefault("false")
    boolean emailVerifiedWithoutClaim();
}
