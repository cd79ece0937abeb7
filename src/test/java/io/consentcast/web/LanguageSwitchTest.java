package io.consentcast.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The DE/EN switch returns to a page of this site and nowhere else: every return value that is not a local
 * path (other sites in all their spellings, header-breaking characters, overlong values) falls back to the
 * start page with a 303, never a 5xx.
 */
@QuarkusTest
class LanguageSwitchTest {

    /** What is sent as {@code return}, and the local path the switch must lead to. */
    record Case(String value, String expected) {
    }

    /** Expected "target" of a value that is refused with 400 instead of redirected. */
    static final String REFUSED = "400";

    static final List<Case> CASES = List.of(
            new Case("/t/abendblatt/lists", "/t/abendblatt/lists"),
            new Case("/p/abendblatt/morgen?utm_source=qr", "/p/abendblatt/morgen?utm_source=qr"),
            new Case("/", "/"),
            new Case(null, "/"),
            new Case("", "/"),
            new Case("/ünïcode", "/%C3%BCn%C3%AFcode"),
            new Case("//evil.example", "/"),
            new Case("//evil.example/path", "/"),
            new Case("/\\evil.example", "/"),
            new Case("\\\\evil.example", "/"),
            new Case("/\\/evil.example", "/"),
            new Case("https://evil.example/", "/"),
            new Case("http:/evil.example", "/"),
            new Case("javascript:alert(1)", "/"),
            new Case("evil.example", "/"),
            new Case("/ok\r\nSet-Cookie: stolen=1", "/"),
            new Case("/ok\nLocation: https://evil.example", "/"),
            new Case("/ok\r", "/"),
            new Case("/tab\tevil", "/"),
            // Control characters other than TAB/CR/LF are refused for every parameter before any resource runs
            // (web.ParameterCheck): a 400, no redirect, no cookie.
            new Case("/nul\u0000", REFUSED),
            new Case("/del\u007f", REFUSED),
            new Case("/a b", "/"),
            new Case("/%zz", "/"),
            new Case("/" + "a".repeat(2500), "/"),
            new Case(" /leading-space", "/"));

    @Test
    void onlyLocalPathsAreFollowedAndEverythingElseLeadsHome() {
        List<String> failures = new ArrayList<>();
        for (String lang : List.of("de", "en", "xx")) {
            for (Case c : CASES) {
                var req = given().redirects().follow(false);
                if (c.value() != null) {
                    req = req.queryParam("return", c.value());
                }
                Response r = req.get("/lang/" + lang);
                String location = r.getHeader("Location");
                if (REFUSED.equals(c.expected())) {
                    if (r.statusCode() != 400 || location != null || r.getCookie(PageContext.LANG_COOKIE) != null) {
                        failures.add(describe(c) + " -> " + r.statusCode() + " " + location + " (expected 400)");
                    }
                    continue;
                }
                if (r.statusCode() != 303 || location == null) {
                    failures.add(describe(c) + " -> " + r.statusCode() + " " + location);
                    continue;
                }
                URI target = URI.create(location);
                String local = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
                if (!local.equals(c.expected()) || (target.getHost() != null && !target.getHost().equals("localhost"))) {
                    failures.add(describe(c) + " -> " + location);
                }
                assertNull(r.getCookie("stolen"), describe(c));
                assertEquals(lang.equals("xx") ? "en" : lang, r.getCookie(PageContext.LANG_COOKIE), describe(c));
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void theChoiceIsALaxHttpOnlyCookie() {
        String setCookie = given().redirects().follow(false).queryParam("return", "/").get("/lang/de").getHeader("Set-Cookie");
        assertTrue(setCookie.contains("cc_lang=de") && setCookie.contains("SameSite=Lax") && setCookie.toLowerCase().contains("httponly"),
                setCookie);
        assertTrue(!setCookie.contains("Secure"), "plain HTTP: not Secure, or the browser would drop it: " + setCookie);
    }

    private static String describe(Case c) {
        return c.value() == null ? "(none)" : Arrays.toString(c.value().chars().limit(40).mapToObj(Character::toString).toArray());
    }
}
