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
    record Form(String page, Map<String, String> fields, String broken) {
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

        String lists = "/api/tenants/" + w.slug() + "/lists";
        String issues = "/api/tenants/" + w.slug() + "/issues";
        int listsBefore = w.owner().req().get(lists).then().statusCode(200).extract().path("size()");
        int issuesBefore = w.owner().req().get(issues).then().statusCode(200).extract().path("size()");
        int workspacesBefore = w.owner().req().get("/api/tenants").then().statusCode(200).extract().path("size()");
        List<String> failures = new ArrayList<>();
        for (Form f : forms) {
            for (String bad : List.of("Neu\u0000", "Neu\u0007")) {
                Response page = w.owner().req().accept("text/html").cookie("cc_lang", "de").get(f.page());
                var post = given().auth().oauth2(w.owner().token()).cookies(page.getCookies()).cookie("cc_lang", "de")
                        .redirects().follow(false).contentType("application/x-www-form-urlencoded")
                        .formParam("csrf-token", Forms.csrfToken(page.asString()));
                for (Map.Entry<String, String> field : f.fields().entrySet()) {
                    post = post.formParam(field.getKey(), field.getKey().equals(f.broken()) ? bad : field.getValue());
                }
                Response r = post.post(f.page());
                String what = "POST " + f.page() + " " + f.broken() + " = " + bad.replace("\u0000", "NUL").replace("\u0007", "BEL");
                if (r.statusCode() != 400 || !r.asString().contains("lang=\"de\"")
                        || !r.asString().contains("Steuerzeichen")) {
                    failures.add(what + " answered " + r.statusCode() + ": "
                            + r.asString().substring(0, Math.min(300, r.asString().length())));
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(listsBefore, w.owner().req().get(lists).then().extract().<Integer>path("size()"));
        assertEquals(issuesBefore, w.owner().req().get(issues).then().extract().<Integer>path("size()"));
        assertEquals(workspacesBefore, w.owner().req().get("/api/tenants").then().extract().<Integer>path("size()"));
    }
}
