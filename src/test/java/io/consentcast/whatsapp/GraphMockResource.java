package io.consentcast.whatsapp;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers {@link GraphMock} for the whole test run (one application start for all test classes). */
@QuarkusTestResource(GraphMock.class)
public final class GraphMockResource {
    private GraphMockResource() {
    }
}
