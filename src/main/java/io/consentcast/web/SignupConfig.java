package io.consentcast.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Whether "Start free" asks the identity provider for its registration page (Keycloak: prompt=create). */
@ConfigMapping(prefix = "consentcast.signup")
public interface SignupConfig {

    @WithDefault("false")
    boolean registrationEnabled();
}
