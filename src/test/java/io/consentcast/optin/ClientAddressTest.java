package io.consentcast.optin;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.testsupport.Forms;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Without {@code CONSENTCAST_TRUSTED_PROXIES} (the default), a client's {@code X-Forwarded-For} is ignored: the
 * consent evidence records the real peer address and the per-address rate limit counts the real peer, whatever
 * address each request claims. With a trusted proxy: {@code web.TrustedProxyTest}.
 */
@QuarkusTest
class ClientAddressTest {

    @Inject
    RateLimiter limiter;

    @Inject
    OptInConfig config;

    @Test
    void aForgedForwardedForChangesNeitherTheEvidenceNorTheRateLimit() {
        limiter.clear();
        Api owner = Api.newUser("spoof");
        String slug = owner.createWorkspace("spoof");
        owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists").then().statusCode(201);

        submit(slug, "203.0.113.9", "0151 23400000").then().statusCode(200);
        String subscriber = owner.req().get("/api/tenants/" + slug + "/subscribers").then().statusCode(200)
                .extract().path("items[0].id");
        String ip = owner.req().get("/api/tenants/" + slug + "/subscribers/" + subscriber + "/events").then().statusCode(200)
                .extract().path("[0].ip");
        assertEquals("127.0.0.1", ip, "the real peer, not the claimed 203.0.113.9");

        // Every request claims another address; the limit still counts the one real peer.
        for (int i = 1; i < config.ipLimit(); i++) {
            submit(slug, "203.0.113." + (i + 10), String.format("0151 234%05d", i)).then().statusCode(200);
        }
        submit(slug, "198.51.100.77", "0151 23499999").then().statusCode(429);
        limiter.clear();
    }

    private static Response submit(String slug, String forwardedFor, String phone) {
        Response form = given().header("X-Forwarded-For", forwardedFor).get("/p/" + slug + "/morgen");
        form.then().statusCode(200);
        return given().header("X-Forwarded-For", forwardedFor).cookies(form.getCookies())
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", Forms.csrfToken(form.asString()))
                .formParam("phone", phone).formParam("country", "DE").formParam("consent", "on").post("/p/" + slug + "/morgen");
    }
}
