package io.consentcast.dispatch;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentcast.dispatch.DispatchFixture.Workspace;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The issue pages in English and German: compose with preview, the issue with its figures and reasons, archive. */
@QuarkusTest
class IssuePagesTest {

    @Inject
    DispatchFixture fx;

    private static String hidden(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]+)\"").matcher(html);
        assertTrue(m.find(), "no hidden field " + name);
        return m.group(1);
    }

    @Test
    void anEditorComposesOnThePageAndSeesTheIssueWithItsFiguresAndReasons() {
        Workspace w = fx.workspace("pages");
        fx.confirmed(w, DispatchFixture.number());
        java.util.UUID leaver = fx.confirmed(w, DispatchFixture.number());
        String base = "/t/" + w.slug() + "/issues";

        Response form = w.owner().req().accept("text/html").header("Accept-Language", "en").get(base + "/new");
        form.then().statusCode(200).body(containsString("newsletter_issue (de, MARKETING)"))
                .body(containsString("Neue Ausgabe: {{1}}")).body(containsString("Europe/Berlin"));
        String token = hidden(form.asString(), "csrf-token");
        Response created = given().auth().oauth2(w.owner().token()).cookies(form.getCookies()).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", token)
                .formParam("list", "morgen").formParam("title", "Dienstag").formParam("template", "newsletter_issue|de")
                .formParam("p1", "Dienstag").formParam("action", "send").post(base + "/new");
        assertEquals(303, created.statusCode(), created.asString());
        String location = created.getHeader("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        fx.event(w, leaver, io.consentcast.consent.ConsentEventType.WITHDRAWN, false);
        try (Dispatcher d = fx.dispatcher("pages", 2)) {
            assertEquals("DONE", fx.drain(d, w, id));
        }

        w.owner().req().accept("text/html").header("Accept-Language", "en").get(base + "/" + id).then()
                .statusCode(200).body(containsString("Neue Ausgabe: Dienstag")).body(containsString("Unsubscribed: 1"))
                .body(containsString("data-count=\"sent\">1<"));
        w.owner().req().accept("text/html").cookie("cc_lang", "de").get(base + "/" + id).then().statusCode(200)
                .body(containsString("Abgemeldet: 1")).body(containsString("Gesendet"));
        w.owner().req().accept("application/json").get(base + "/" + id + "/progress").then().statusCode(200)
                .body("counts.sent", org.hamcrest.Matchers.equalTo(1));
        w.owner().req().accept("text/html").header("Accept-Language", "en").get(base).then().statusCode(200)
                .body(containsString("Dienstag"));
        w.owner().req().accept("text/html").header("Accept-Language", "en").get(base + "/archive/morgen").then()
                .statusCode(200).body(containsString("Past issues of Morgenbriefing")).body(containsString("Dienstag"));
        w.owner().req().accept("text/html").header("Accept-Language", "en").get(base + "/settings").then()
                .statusCode(200).body(containsString("Dispatch settings"));
        w.owner().req().accept("text/html").header("Accept-Language", "en").get(base + "/" + id + "/edit").then()
                .statusCode(200);
    }

    @Test
    void aFormWithMistakesComesBackWithTheMessagesInThePageLanguage() {
        Workspace w = fx.workspace("pages-err");
        String base = "/t/" + w.slug() + "/issues";
        Response form = w.owner().req().accept("text/html").cookie("cc_lang", "de").get(base + "/new");
        String token = hidden(form.asString(), "csrf-token");
        given().auth().oauth2(w.owner().token()).cookies(form.getCookies()).cookie("cc_lang", "de")
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", token)
                .formParam("list", "morgen").formParam("title", "").formParam("template", "newsletter_issue|de")
                .formParam("p1", "x").formParam("action", "draft").post(base + "/new").then().statusCode(400)
                .body(containsString("Geben Sie einen Titel ein."));
    }

    /** "Schedule" without a date is a form error that keeps the entries, never a draft saved instead. */
    @Test
    void schedulingWithoutADateIsAFormErrorAndSavesNothing() {
        Workspace w = fx.workspace("nodate");
        String base = "/t/" + w.slug() + "/issues";
        for (String lang : new String[] {"en", "de"}) {
            Response form = w.owner().req().accept("text/html").header("Accept-Language", lang).get(base + "/new");
            Response refused = given().auth().oauth2(w.owner().token()).cookies(form.getCookies()).redirects().follow(false)
                    .header("Accept-Language", lang).contentType("application/x-www-form-urlencoded")
                    .formParam("csrf-token", hidden(form.asString(), "csrf-token")).formParam("list", "morgen")
                    .formParam("title", "Ohne Datum").formParam("template", "newsletter_issue|de").formParam("p1", "Montag")
                    .formParam("scheduledAt", "").formParam("action", "schedule").post(base + "/new");
            assertEquals(400, refused.statusCode(), refused.asString());
            assertTrue(refused.asString().contains(lang.equals("de") ? "Wählen Sie Datum und Uhrzeit des Versands"
                    : "Choose the date and time to send it at"), refused.asString());
            assertTrue(refused.asString().contains("value=\"Ohne Datum\""), "the entries are kept");
        }
        w.owner().req().get("/api/tenants/" + w.slug() + "/issues").then().statusCode(200)
                .body(org.hamcrest.Matchers.not(containsString("Ohne Datum")));
    }
}
