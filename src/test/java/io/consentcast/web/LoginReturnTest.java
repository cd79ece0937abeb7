package io.consentcast.web;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.consentcast.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;

/**
 * A form sent after the login session ended (no session cookie) goes to the login; after it the browser lands on
 * the page the form was on, marked for {@code assets/app.js} to fill the kept entries in, with the message in the
 * page's language; nothing is stored on the way. The whole code flow runs against the test OIDC server.
 */
@QuarkusTest
class LoginReturnTest {

    @OidcWireMock
    WireMockServer oidc;

    @Test
    void aFormSentAfterTheSessionEndedReturnsToItsPageAfterTheLogin() {
        Api owner = Api.newUser("relogin");
        String slug = owner.createWorkspace("relogin");
        String site = "http://localhost:" + RestAssured.port;
        String team = "/t/" + slug + "/team";
        String invited = "after-login-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";

        // The session has ended: the post (to an address with no page of its own) is sent to the login.
        Response posted = given().redirects().follow(false).header("Referer", site + team)
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", "whatever")
                .formParam("email", invited).formParam("role", "EDITOR").post(team + "/invitations");
        assertEquals(302, posted.statusCode(), posted.asString());
        URI login = URI.create(posted.header("Location"));
        Map<String, String> query = query(login);
        assertTrue(login.toString().startsWith(oidc.baseUrl()), login.toString());
        assertEquals(site + team + "/invitations", query.get("redirect_uri"));
        String returnCookie = posted.getCookie(LoginReturn.COOKIE);
        assertNotNull(returnCookie, "the post's page is remembered for after the login");
        Map<String, String> cookies = new HashMap<>(posted.getCookies());

        // The identity provider sends the browser back with a code; Quarkus completes the login and restores the
        // post's address (with a GET).
        String code = "relogin-" + UUID.randomUUID();
        oidc.stubFor(post("/auth/realms/quarkus/token").withRequestBody(containing(code)).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"" + idToken(owner) + "\",\"id_token\":\"" + idToken(owner)
                        + "\",\"expires_in\":300}")));
        Response callback = given().redirects().follow(false).cookies(cookies)
                .get(team + "/invitations?state=" + query.get("state") + "&code=" + code);
        assertEquals(302, callback.statusCode(), callback.asString());
        assertEquals(site + team + "/invitations", callback.header("Location"));
        cookies.putAll(callback.getCookies());
        cookies.entrySet().removeIf(c -> c.getKey().startsWith("q_auth"));

        // That GET would be a 405: it goes on to the form's page, marked, once.
        Response resumed = given().redirects().follow(false).cookies(cookies).get(team + "/invitations");
        assertEquals(303, resumed.statusCode(), resumed.asString());
        assertEquals(team + "#" + LoginReturn.MARKER, URI.create(resumed.header("Location")).toString()
                .replace(site, ""));
        assertEquals("", resumed.getCookie(LoginReturn.COOKIE), "the cookie is used once");
        cookies.remove(LoginReturn.COOKIE);

        for (String lang : new String[] {"en", "de"}) {
            String html = given().redirects().follow(false).cookies(cookies).header("Accept-Language", lang)
                    .get(team).then().statusCode(200).extract().asString();
            assertTrue(html.contains("<body data-drafts>"), "the page keeps drafts of its forms");
            assertTrue(html.contains(lang.equals("de") ? "Ihre Sitzung war abgelaufen"
                    : "Your session had expired"), html);
            assertTrue(html.contains(lang.equals("de") ? "gesendet wurde noch nichts" : "nothing has been sent yet"),
                    html);
            assertTrue(html.contains("<script src=\"/assets/app.js\" defer></script>"), "app.js fills the form in");
        }
        String invitations = owner.req().get("/api/tenants/" + slug + "/invitations").asString();
        assertTrue(!invitations.contains(invited), "nothing was sent on the user's behalf: " + invitations);

        // Without the cookie the address is what it always was: no page (the 4xx the login used to end on).
        int without = given().redirects().follow(false).cookies(cookies).get(team + "/invitations").statusCode();
        assertTrue(without == 404 || without == 405, "status " + without);
    }

    @Test
    void aPostFromAnotherSiteOrWithoutAPageIsNotRemembered() {
        Api owner = Api.newUser("foreign");
        String slug = owner.createWorkspace("foreign");
        String path = "/t/" + slug + "/team/invitations";
        Response foreign = given().redirects().follow(false).header("Referer", "https://evil.example/t/" + slug + "/team")
                .contentType("application/x-www-form-urlencoded").formParam("email", "x@example.org").post(path);
        assertEquals(302, foreign.statusCode());
        assertNull(foreign.getCookie(LoginReturn.COOKIE));
        Response none = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("email", "x@example.org").post(path);
        assertEquals(302, none.statusCode());
        assertNull(none.getCookie(LoginReturn.COOKIE));
    }

    /** An ID token for the test user, for this application's client, signed like the test OIDC server's. */
    private static String idToken(Api user) {
        return Jwt.preferredUserName(user.email()).groups(Set.of("user")).issuer("https://server.example.com")
                .audience("quarkus-web-app").subject(user.subject()).claim("email", user.email())
                .claim("email_verified", true).claim("name", "Relogin User").expiresIn(300)
                .jws().keyId("1").sign("privateKey.jwk");
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
