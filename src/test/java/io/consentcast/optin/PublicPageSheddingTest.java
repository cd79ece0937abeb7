package io.consentcast.optin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A busy instance refuses public-page requests at once with 503, Retry-After and a page in both languages,
 * instead of queueing them until they fail; other paths are not affected. The limit is 0 here, so every
 * public request counts as one too many.
 */
@QuarkusTest
@TestProfile(PublicPageSheddingTest.Busy.class)
class PublicPageSheddingTest {

    public static class Busy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("consentcast.optin.max-concurrent-requests", "0");
        }
    }

    @Inject
    MeterRegistry registry;

    @Inject
    PublicPageShedding shedding;

    @Test
    void aBusyInstanceAnswersPublicPagesWith503AndRetryAfter() {
        double before = shed();
        given().get("/p/any-workspace/any-list").then().statusCode(503).header("Retry-After", "5")
                .header("Cache-Control", "no-store")
                .body(containsString("Einen Moment bitte"), containsString("One moment please"),
                        containsString("nicht gespeichert"));
        given().contentType("application/x-www-form-urlencoded").formParam("phone", "+4915112345678")
                .post("/p/any-workspace/any-list").then().statusCode(503).header("Retry-After", "5");
        assertEquals(before + 2, shed(), "both refusals counted");
        assertEquals(0, shedding.inFlight(), "a refused request does not stay counted");

        // Not public pages: served as usual.
        given().get("/assets/favicon.svg").then().statusCode(200);
        given().get("/api/me").then().statusCode(401);
    }

    private double shed() {
        return registry.get("consentcast.public.requests.shed").counter().count();
    }
}
