package io.consentcast.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The security headers on every kind of response over plain HTTP (HTTPS through a trusted proxy:
 * {@link TrustedProxyTest}): the policy allows this origin only, framing is refused except for a list's
 * public pages (the embed), nosniff and a referrer policy everywhere, no HSTS without HTTPS.
 */
@QuarkusTest
class SecurityHeadersTest {

    static final String SELF_ONLY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; ";

    @Test
    void everyKindOfResponseCarriesTheHeaders() {
        Api owner = Api.newUser("headers");
        String slug = owner.createWorkspace("headers");
        owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists").then().statusCode(201);

        Map<String, Response> framingRefused = new LinkedHashMap<>();
        framingRefused.put("home page", given().get("/"));
        framingRefused.put("workspace page", owner.req().accept("text/html").get("/t/" + slug));
        framingRefused.put("API answer", owner.req().get("/api/tenants/" + slug + "/lists"));
        framingRefused.put("API 401 problem", given().accept("application/json").get("/api/tenants/" + slug + "/lists"));
        framingRefused.put("error page", given().accept("text/html").get("/no-such-page"));
        framingRefused.put("static file", given().get("/assets/app.css"));
        framingRefused.put("stylesheet", given().get("/theme/accent-0b7a5a.css"));
        framingRefused.put("redirect", given().redirects().follow(false).get("/lang/de?return=/"));
        framingRefused.put("OpenAPI", given().get("/q/openapi"));
        framingRefused.forEach((what, r) -> {
            assertCommon(what, r);
            assertEquals(SELF_ONLY + "frame-ancestors 'none'", r.getHeader("Content-Security-Policy"), what);
            assertEquals("DENY", r.getHeader("X-Frame-Options"), what);
        });
        assertEquals(404, framingRefused.get("error page").statusCode());
        assertEquals(401, framingRefused.get("API 401 problem").statusCode());

        Map<String, Response> embeddable = new LinkedHashMap<>();
        embeddable.put("landing page (the embed)", given().get("/p/" + slug + "/morgen"));
        embeddable.put("unsubscribe page", given().get("/p/" + slug + "/morgen/unsubscribe"));
        embeddable.put("refused landing form", given().contentType("application/x-www-form-urlencoded")
                .formParam("phone", "1").post("/p/" + slug + "/morgen"));
        embeddable.forEach((what, r) -> {
            assertCommon(what, r);
            assertEquals(SELF_ONLY + "frame-ancestors *", r.getHeader("Content-Security-Policy"), what);
            assertNull(r.getHeader("X-Frame-Options"), what);
        });
        assertEquals(403, embeddable.get("refused landing form").statusCode());
    }

    @Test
    void theFormCookieIsLaxHttpOnlySetOnceAndOnlyByPages() {
        Api owner = Api.newUser("cookie");
        String slug = owner.createWorkspace("cookie");
        owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists").then().statusCode(201);
        Response page = owner.req().accept("text/html").get("/t/" + slug + "/lists/new");
        String cookie = setCookie(page, "csrf-token");
        assertTrue(cookie.contains("SameSite=Lax") && cookie.toLowerCase().contains("httponly"), cookie);
        assertFalse(cookie.contains("Secure"), "plain HTTP: " + cookie);
        // The next page of the session keeps it; a stylesheet, an image or a JSON poll never sets one.
        assertNull(setCookie(owner.req().accept("text/html").cookies(page.getCookies()).get("/t/" + slug + "/lists/new"), "csrf-token"));
        assertNull(setCookie(given().get("/theme/accent-0b7a5a.css"), "csrf-token"));
        assertNull(setCookie(given().get("/q/openapi"), "csrf-token"));
        // A list's public pages (also inside another site's iframe) work without any cookie and set none.
        assertNull(setCookie(given().get("/p/" + slug + "/morgen"), "csrf-token"));
    }

    @Test
    void publicPagesTakeTheirAccentColourFromAStylesheet() {
        Api owner = Api.newUser("accent");
        String slug = owner.createWorkspace("accent");
        owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists").then().statusCode(201);
        String html = given().get("/p/" + slug + "/morgen").asString();
        assertTrue(html.contains("<link rel=\"stylesheet\" href=\"/theme/accent-0b7a5a.css\">"), html);
        given().get("/theme/accent-0b7a5a.css").then().statusCode(200).contentType("text/css")
                .body(org.hamcrest.Matchers.containsString("--accent: #0b7a5a;"));
        given().get("/theme/accent-zzzzzz.css").then().statusCode(404);
        given().get("/theme/accent-0b7a5a00.css").then().statusCode(404);
    }

    /**
     * The policy allows no inline code, so the templates must have none: no script or style elements without a
     * source, no style attributes, no event handler attributes.
     */
    @Test
    void noTemplateHasInlineScriptsStylesOrEventHandlers() throws IOException {
        Pattern inline = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>|<style\\b|\\sstyle=\"|\\son[a-z]+=\"", Pattern.CASE_INSENSITIVE);
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/resources/templates"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".html")).toList()) {
                var m = inline.matcher(Files.readString(f));
                while (m.find()) {
                    found.add(f + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), found);
    }

    private static void assertCommon(String what, Response r) {
        assertTrue(r.statusCode() < 500, what + " answered " + r.statusCode());
        assertEquals("nosniff", r.getHeader("X-Content-Type-Options"), what);
        assertEquals("strict-origin-when-cross-origin", r.getHeader("Referrer-Policy"), what);
        assertNull(r.getHeader("Strict-Transport-Security"), what + ": no HSTS over plain HTTP");
        String policy = r.getHeader("Content-Security-Policy");
        assertTrue(policy != null && !policy.contains("unsafe"), what + ": " + policy);
    }

    static String setCookie(Response r, String name) {
        return r.getHeaders().getValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst().orElse(null);
    }
}
