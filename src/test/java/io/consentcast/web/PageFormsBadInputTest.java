package io.consentcast.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentcast.dispatch.DispatchFixture;
import io.consentcast.dispatch.DispatchFixture.Workspace;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.testsupport.Forms;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The members' page forms reach the services without the JSON reader's text check: a NUL or another
 * control character in any of their text fields is a form error in the user's language (German here),
 * never a 5xx, and nothing is stored.
 */
@QuarkusTest
class PageFormsBadInputTest {

    @Inject
    DispatchFixture fx;

    /** A form page, the valid form it posts, and the field to break. */
    /** A form shown on {@code page} and posted to {@code action}, with the field {@code broken} made bad. */
    record Form(String page, String action, Map<String, String> fields, String broken) {
        Form(String page, Map<String, String> fields, String broken) {
            this(page, page, fields, broken);
        }
    }

    @Test
    void controlCharactersInPageFormsAnswerAFormErrorInTheUsersLanguageAndStoreNothing() {
        Workspace w = fx.workspace("pages-bad");
        String t = "/t/" + w.slug();
        Map<String, String> list = new LinkedHashMap<>(Map.of("slug", "neu", "name", "Neu", "description", "Neu.",
                "language", "de", "purpose", "MARKETING", "keyword", "NEU", "consentText", Fixtures.CONSENT_TEXT,
                "imprintUrl", "https://example.org/impressum", "privacyUrl", "https://example.org/datenschutz"));
        Map<String, String> issue = Map.of("list", w.list(), "title", "Dienstag", "template", "newsletter_issue|de",
                "p1", "Dienstag", "action", "save");
        Map<String, String> workspace = Map.of("name", "Neu", "slug", "neu-" + UUID.randomUUID().toString().substring(0, 8),
                "locale", "de", "timezone", "Europe/Berlin");
        List<Form> forms = new ArrayList<>();
        for (String field : List.of("name", "description", "consentText", "imprintUrl")) {
            forms.add(new Form(t + "/lists/new", list, field));
        }
        forms.add(new Form(t + "/issues/new", issue, "title"));
        forms.add(new Form(t + "/issues/new", issue, "p1"));
        forms.add(new Form("/app/new", workspace, "name"));
        forms.add(new Form(t + "/team", t + "/team/invitations", Map.of("email", "neu@example.org", "role", "EDITOR"),
                "email"));

        String lists = "/api/tenants/" + w.slug() + "/lists";
        String issues = "/api/tenants/" + w.slug() + "/issues";
        int listsBefore = w.owner().req().get(lists).then().statusCode(200).extract().path("size()");
        int issuesBefore = w.owner().req().get(issues).then().statusCode(200).extract().path("size()");
        int workspacesBefore = w.owner().req().get("/api/tenants").then().statusCode(200).extract().path("size()");
        List<String> failures = new ArrayList<>();
        for (Form f : forms) {
            // Inside the value: a trailing control character would be trimmed away by the services (String.trim).
            for (String bad : f.broken().equals("email") ? List.of("neu\u0000x@example.org", "neu\u0007x@example.org")
                    : List.of("Ne\u0000u", "Ne\u0007u")) {
                Response page = w.owner().req().accept("text/html").cookie("cc_lang", "de").get(f.page());
                var post = given().auth().oauth2(w.owner().token()).cookies(page.getCookies()).cookie("cc_lang", "de")
                        .redirects().follow(false).contentType("application/x-www-form-urlencoded")
                        .formParam("csrf-token", Forms.csrfToken(page.asString()));
                for (Map.Entry<String, String> field : f.fields().entrySet()) {
                    post = post.formParam(field.getKey(), field.getKey().equals(f.broken()) ? bad : field.getValue());
                }
                Response r = post.post(f.action());
                String what = "POST " + f.action() + " " + f.broken() + " = " + bad.replace("\u0000", "NUL").replace("\u0007", "BEL");
                if (r.statusCode() != 400 || !r.asString().contains("lang=\"de\"")
                        || !r.asString().contains("Steuerzeichen")) {
                    String body = r.asString();
                    int at = Math.max(0, body.indexOf("error"));
                    failures.add(what + " answered " + r.statusCode() + ": "
                            + body.substring(at, Math.min(at + 300, body.length())));
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(listsBefore, w.owner().req().get(lists).then().extract().<Integer>path("size()"));
        assertEquals(issuesBefore, w.owner().req().get(issues).then().extract().<Integer>path("size()"));
        assertEquals(workspacesBefore, w.owner().req().get("/api/tenants").then().extract().<Integer>path("size()"));
        assertEquals(0, w.owner().req().get("/api/tenants/" + w.slug() + "/invitations").then().statusCode(200)
                .extract().<Integer>path("size()"), "no invitation stored");
    }
}
