package io.consentcast.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.testsupport.Forms;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Behind a trusted proxy (the test's own address in {@code CONSENTCAST_TRUSTED_PROXIES}) the forwarded client
 * address is the evidence and the rate-limit key, and {@code X-Forwarded-Proto: https} makes the response
 * HTTPS-only: HSTS, Secure cookies, and the embeddable page's CSRF cookie {@code SameSite=None}. Without the
 * setting the same headers are ignored ({@code optin.ClientAddressTest}, {@link SecurityHeadersTest}).
 */
@QuarkusTest
@TestProfile(TrustedProxyTest.BehindTrustedProxy.class)
class TrustedProxyTest {

    public static class BehindTrustedProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("CONSENTCAST_TRUSTED_PROXIES", "127.0.0.1,::1", "consentcast.optin.ip-limit", "3");
        }
    }

    @Test
    void theForwardedAddressIsTheEvidenceAndTheRateLimitKey() {
        Api owner = Api.newUser("proxied");
        String slug = owner.createWorkspace("proxied");
        owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists").then().statusCode(201);

        submit(slug, "203.0.113.9", "0151 23456701").then().statusCode(200);
        String subscriber = owner.req().get("/api/tenants/" + slug + "/subscribers").then().statusCode(200)
                .extract().path("items[0].id");
        String ip = owner.req().get("/api/tenants/" + slug + "/subscribers/" + subscriber + "/events").then().statusCode(200)
                .extract().path("[0].ip");
        assertEquals("203.0.113.9", ip);

        submit(slug, "203.0.113.9", "0151 23456702").then().statusCode(200);
        submit(slug, "203.0.113.9", "0151 23456703").then().statusCode(200);
        submit(slug, "203.0.113.9", "0151 23456704").then().statusCode(429);
        // Another client behind the same proxy has its own budget.
        submit(slug, "203.0.113.10", "0151 23456705").then().statusCode(200);
    }

    @Test
    void httpsAtTheProxyMakesTheResponseHttpsOnly() {
        Api owner = Api.newUser("tls");
        String slug = owner.createWorkspace("tls");
        owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists").then().statusCode(201);

        Response app = https().get("/");
        assertEquals("max-age=31536000", app.getHeader("Strict-Transport-Security"));
        Response form = https().auth().oauth2(owner.token()).accept("text/html").get("/t/" + slug + "/lists/new");
        String appCookie = SecurityHeadersTest.setCookie(form, "csrf-token");
        assertTrue(appCookie.contains("SameSite=Lax") && appCookie.contains("Secure"), appCookie);

        // The public pages (the embed) need and set no cookie: their form token is cookie-less.
        Response embed = https().get("/p/" + slug + "/morgen");
        assertEquals("max-age=31536000", embed.getHeader("Strict-Transport-Security"));
        assertNull(SecurityHeadersTest.setCookie(embed, "csrf-token"));

        assertEquals("max-age=31536000", https().get("/assets/app.css").getHeader("Strict-Transport-Security"));
        String lang = https().redirects().follow(false).get("/lang/de?return=/").getHeader("Set-Cookie");
        assertTrue(lang.contains("Secure") && lang.contains("SameSite=Lax"), lang);

        // Plain HTTP at the proxy: no HSTS, no Secure.
        Response plain = given().header("X-Forwarded-Proto", "http").auth().oauth2(owner.token()).accept("text/html")
                .get("/t/" + slug + "/lists/new");
        assertNull(plain.getHeader("Strict-Transport-Security"));
        assertTrue(!SecurityHeadersTest.setCookie(plain, "csrf-token").contains("Secure"));
    }

    private static RequestSpecification https() {
        return given().header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "app.example.com");
    }

    private static Response submit(String slug, String forwardedFor, String phone) {
        Response form = given().header("X-Forwarded-For", forwardedFor).get("/p/" + slug + "/morgen");
        form.then().statusCode(200);
        return given().header("X-Forwarded-For", forwardedFor).cookies(form.getCookies())
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", Forms.csrfToken(form.asString()))
                .formParam("phone", phone).formParam("country", "DE").formParam("consent", "on").post("/p/" + slug + "/morgen");
    }
}
