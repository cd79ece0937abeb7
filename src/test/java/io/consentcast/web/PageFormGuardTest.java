package io.consentcast.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.testsupport.Forms;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Every state-changing page route, found in the application's own JAX-RS resources (so routes added later are
 * covered without editing this test), refuses what a cross-site page can send: a text/plain or JSON body
 * (415, or 403), an empty body, a form without the CSRF token, a garbled token or one with the wrong
 * signature (403 with an error page in the user's language and a way back, never a 500), and nothing changes.
 */
@QuarkusTest
class PageFormGuardTest {

    static final String FORM = "application/x-www-form-urlencoded";
    static final String MULTIPART = "multipart/form-data";

    record Route(String method, String template) {
    }

    record Workspace(Api owner, String slug, String subscriber, String invitation) {
    }

    @Test
    void everyPageRouteRefusesRequestsWithoutAValidTokenAndChangesNothing() {
        Workspace w = workspace();
        List<Route> routes = pageRoutes();
        assertTrue(routes.size() >= 25, "expected the page routes of every feature, found " + routes);
        assertTrue(routes.contains(new Route("POST", "/t/{tenant}/subscribers/{id}/erase")), routes.toString());
        assertTrue(routes.contains(new Route("POST", "/t/{tenant}/team/invitations/{id}/revoke")), routes.toString());
        assertTrue(routes.contains(new Route("POST", "/p/{tenant}/{list}")), routes.toString());

        Response page = w.owner().req().accept("text/html").get("/t/" + w.slug() + "/lists/new");
        page.then().statusCode(200);
        String cookie = page.getCookie("csrf-token");
        assertTrue(cookie != null && !cookie.isEmpty(), "the page sets the CSRF cookie");
        String randomToken = Base64.getUrlEncoder().withoutPadding().encodeToString(new SecureRandom().generateSeed(16));
        String before = state(w);

        for (Route route : routes) {
            String url = concrete(route.template(), w);
            assertRefused(route, 415, 403, call(w, route, url).contentType("text/plain").cookie("csrf-token", cookie)
                    .body("csrf-token=" + Forms.csrfToken(page.asString()) + "&status=CLOSED").request(route.method(), url));
            assertRefused(route, 415, 403, call(w, route, url).contentType("application/json").cookie("csrf-token", cookie)
                    .body("{\"status\":\"CLOSED\"}").request(route.method(), url));
            assertRefused(route, 415, 403, call(w, route, url).request(route.method(), url));
            // A form without the token: 403 for the form type the route takes, 415 for the other one.
            String formType = null;
            for (String type : List.of(FORM, MULTIPART)) {
                Response r = form(call(w, route, url).cookie("csrf-token", cookie), type, Map.of("status", "CLOSED"))
                        .request(route.method(), url);
                if (r.statusCode() == 415) {
                    assertRefused(route, 415, 415, r);
                } else {
                    assertCsrfPage(route, "This form has expired", r);
                    formType = type;
                }
            }
            assertTrue(formType != null, route + " takes no form at all");
            assertCsrfPage(route, "Dieses Formular ist abgelaufen", form(call(w, route, url, "de").cookie("csrf-token", cookie),
                    formType, Map.of("csrf-token", "%%% not base64 \u00ff")).request(route.method(), url));
            assertCsrfPage(route, "This form has expired", form(call(w, route, url).cookie("csrf-token", cookie), formType,
                    Map.of("csrf-token", randomToken)).request(route.method(), url));
            assertCsrfPage(route, "This form has expired", form(call(w, route, url).cookie("csrf-token", "garbled!"), formType,
                    Map.of("csrf-token", Forms.csrfToken(page.asString()))).request(route.method(), url));
        }
        assertEquals(before, state(w), "a refused request changed the workspace");
    }

    /** The two requests the review reproduced, and the control that the same forms work with their token. */
    @Test
    void theReproducedForgeriesChangeNothingAndTheRealFormsStillWork() {
        Workspace w = workspace();
        String erase = "/t/" + w.slug() + "/subscribers/" + w.subscriber() + "/erase";
        w.owner().req().accept("text/html").contentType("text/plain").body("").redirects().follow(false).post(erase)
                .then().statusCode(415);
        String revoke = "/t/" + w.slug() + "/team/invitations/" + w.invitation() + "/revoke";
        w.owner().req().accept("text/html").contentType("").redirects().follow(false).post(revoke).then().statusCode(415);
        w.owner().req().accept("text/html").contentType("application/x-www-form-urlencoded").redirects().follow(false)
                .post(revoke).then().statusCode(403);
        assertTrue(subscriber(w).contains(w.subscriber()) && !subscriber(w).contains("\"erased\":true"), subscriber(w));
        assertTrue(invitations(w).contains(w.invitation()), invitations(w));

        Response team = w.owner().req().accept("text/html").get("/t/" + w.slug() + "/team");
        w.owner().req().accept("text/html").cookies(team.getCookies()).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", Forms.csrfToken(team.asString())).redirects().follow(false).post(revoke)
                .then().statusCode(303);
        assertFalse(invitations(w).contains(w.invitation()), invitations(w));
    }

    @Test
    void theErrorPageLeadsBackToThePageTheFormCameFrom() {
        Workspace w = workspace();
        String revoke = "/t/" + w.slug() + "/team/invitations/" + w.invitation() + "/revoke";
        String from = "/t/" + w.slug() + "/team";
        Response withReferer = w.owner().req().accept("text/html").header("Referer", "http://localhost:" + port() + from)
                .contentType("application/x-www-form-urlencoded").formParam("x", "y").redirects().follow(false).post(revoke);
        assertEquals(403, withReferer.statusCode());
        assertTrue(withReferer.asString().contains("id=\"back\" href=\"" + from + "\""), withReferer.asString());
        // Another site's page is never a way back; the workspace's dashboard is.
        Response foreign = w.owner().req().accept("text/html").header("Referer", "https://evil.example" + from)
                .contentType("application/x-www-form-urlencoded").formParam("x", "y").redirects().follow(false).post(revoke);
        assertTrue(foreign.asString().contains("id=\"back\" href=\"/t/" + w.slug() + "\""), foreign.asString());
        // The public form leads back to itself (its pages send no referrer).
        Response landing = given().contentType("application/x-www-form-urlencoded").formParam("phone", "0151 23456789")
                .post("/p/" + w.slug() + "/sweep");
        assertEquals(403, landing.statusCode());
        assertTrue(landing.asString().contains("id=\"back\" href=\"/p/" + w.slug() + "/sweep\""), landing.asString());
    }

    /** A garbled or foreign cookie is replaced by the next page with a form, whose form then works. */
    @Test
    void aGarbledCookieIsReplacedOnTheNextPage() {
        Workspace w = workspace();
        String revoke = "/t/" + w.slug() + "/team/invitations/" + w.invitation() + "/revoke";
        for (String garbled : List.of("garbled!", "c2hvcnQ", "%%%")) {
            Response team = w.owner().req().accept("text/html").cookie("csrf-token", garbled).get("/t/" + w.slug() + "/team");
            assertEquals(200, team.statusCode(), garbled);
            String fresh = team.getCookie("csrf-token");
            assertTrue(fresh != null && !fresh.equals(garbled), team.getHeaders().toString());
            w.owner().req().accept("text/html").cookie("csrf-token", fresh).contentType("application/x-www-form-urlencoded")
                    .formParam("csrf-token", Forms.csrfToken(team.asString())).formParam("email", "x" + garbled.length() + "@example.org")
                    .formParam("role", "VIEWER").redirects().follow(false).post("/t/" + w.slug() + "/team/invitations")
                    .then().statusCode(200);
        }
        w.owner().req().accept("text/html").redirects().follow(false).post(revoke).then().statusCode(415);
    }

    @Test
    void theApiStaysBearerOnlyAndIsNotCsrfChecked() {
        Api owner = Api.newUser("api-csrf");
        String slug = owner.createWorkspace("api-csrf");
        owner.req().header("X-CSRF-TOKEN", "%%%").body(Fixtures.germanList("api", "APIX"))
                .post("/api/tenants/" + slug + "/lists").then().statusCode(201);
        given().contentType("application/json").body(Fixtures.germanList("anon", "ANON"))
                .post("/api/tenants/" + slug + "/lists").then().statusCode(401);
    }

    private static RequestSpecification form(RequestSpecification req, String type, Map<String, String> fields) {
        req = req.contentType(type);
        for (var field : fields.entrySet()) {
            req = type.equals(FORM) ? req.formParam(field.getKey(), field.getValue()) : req.multiPart(field.getKey(), field.getValue());
        }
        return req;
    }

    private static void assertRefused(Route route, int status, int orStatus, Response r) {
        assertTrue(r.statusCode() == status || r.statusCode() == orStatus, route + " answered " + r.statusCode() + ": " + r.asString());
        assertTrue(r.contentType().startsWith("text/html"), route + " answered " + r.contentType());
    }

    private static void assertCsrfPage(Route route, String title, Response r) {
        assertEquals(403, r.statusCode(), route + ": " + r.asString());
        assertTrue(r.contentType().startsWith("text/html"), route + " answered " + r.contentType());
        assertTrue(r.asString().contains(title), route + ": " + r.asString());
        assertTrue(r.asString().contains("id=\"back\""), route + " offers no way back: " + r.asString());
    }

    private static RequestSpecification call(Workspace w, Route route, String url) {
        return call(w, route, url, "en");
    }

    private static RequestSpecification call(Workspace w, Route route, String url, String lang) {
        RequestSpecification req = given().redirects().follow(false).accept("text/html").header("Accept-Language", lang);
        return url.startsWith("/p/") ? req : req.auth().oauth2(w.owner().token());
    }

    private static String concrete(String template, Workspace w) {
        String url = template.replace("{tenant}", w.slug()).replace("{list}", "sweep");
        if (url.contains("/subscribers/")) {
            url = url.replace("{id}", w.subscriber());
        } else if (url.contains("/invitations/")) {
            url = url.replace("{id}", w.invitation());
        }
        return url.replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
    }

    /** What the workspace's owner can read through the API: lists, subscribers, ledger, team, issues, settings. */
    private static String state(Workspace w) {
        StringBuilder all = new StringBuilder();
        for (String read : List.of("lists", "subscribers", "consent-events/export?format=ndjson", "members", "invitations",
                "issues", "optin-settings", "dispatch-settings", "channel")) {
            Response r = w.owner().req().accept("*/*").get("/api/tenants/" + w.slug() + "/" + read);
            all.append(read).append(' ').append(r.statusCode()).append(' ').append(r.asString()).append('\n');
        }
        return all.toString();
    }

    private static String subscriber(Workspace w) {
        return w.owner().req().get("/api/tenants/" + w.slug() + "/subscribers/" + w.subscriber()).asString();
    }

    private static String invitations(Workspace w) {
        return w.owner().req().get("/api/tenants/" + w.slug() + "/invitations").asString();
    }

    private static int port() {
        return io.restassured.RestAssured.port;
    }

    /** A workspace with a list, a reader who subscribed on its landing page and an open invitation. */
    static Workspace workspace() {
        Api owner = Api.newUser("guard");
        String slug = owner.createWorkspace("guard");
        owner.req().body(Fixtures.germanList("sweep", "SWEEP")).post("/api/tenants/" + slug + "/lists").then().statusCode(201);
        Response form = given().get("/p/" + slug + "/sweep");
        form.then().statusCode(200);
        given().cookies(form.getCookies()).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", Forms.csrfToken(form.asString())).formParam("phone", "0151 2345" + (int) (Math.random() * 9000 + 1000))
                .formParam("country", "DE").formParam("consent", "on").post("/p/" + slug + "/sweep").then().statusCode(200);
        String subscriber = owner.req().get("/api/tenants/" + slug + "/subscribers").then().statusCode(200)
                .extract().path("items[0].id");
        String invitation = owner.req().body(Map.of("email", "invitee@example.org", "role", "EDITOR"))
                .post("/api/tenants/" + slug + "/invitations").then().statusCode(201).extract().path("id");
        return new Workspace(owner, slug, subscriber, invitation);
    }

    /** The state-changing routes of every JAX-RS resource outside /api and /webhooks. */
    static List<Route> pageRoutes() {
        Map<Route, Boolean> routes = new LinkedHashMap<>();
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.consentcast")) {
            if (!type.isAnnotatedWith(Path.class)) {
                continue;
            }
            Class<?> resource = type.reflect();
            String base = resource.getAnnotation(Path.class).value();
            for (Method m : resource.getDeclaredMethods()) {
                String http = httpMethod(m);
                if (http == null || Set.of("GET", "HEAD", "OPTIONS").contains(http)) {
                    continue;
                }
                Path sub = m.getAnnotation(Path.class);
                String path = ("/" + base + "/" + (sub == null ? "" : sub.value())).replaceAll("/+", "/");
                path = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
                if (!path.startsWith("/api/") && !path.equals("/api") && !path.startsWith("/webhooks")) {
                    routes.put(new Route(http, path), true);
                }
            }
        }
        return new ArrayList<>(routes.keySet());
    }

    private static String httpMethod(Method m) {
        for (var a : m.getAnnotations()) {
            HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }
}
