package io.consentcast.testsupport;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/** Starts the WireMock OIDC provider (tokens, code flow login form) for every test. */
@QuarkusTestResource(OidcWiremockTestResource.class)
public final class OidcServer {
    private OidcServer() {
    }
}
