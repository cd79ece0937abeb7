package io.consentcast.dispatch;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentcast.dispatch.DispatchFixture.Workspace;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** An issue sent with "send now" says when it was sent, never "Scheduled for", on its page and in the list. */
@QuarkusTest
class IssueWhenTest {

    @Inject
    DispatchFixture fx;

    @Test
    void anIssueSentNowShowsWhenItWasSentNotAScheduledTime() {
        Workspace w = fx.workspace("when");
        fx.confirmed(w, DispatchFixture.number());
        String base = "/t/" + w.slug() + "/issues";
        Response form = w.owner().req().accept("text/html").get(base + "/new");
        Matcher m = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"").matcher(form.asString());
        assertTrue(m.find());
        Response created = given().auth().oauth2(w.owner().token()).cookies(form.getCookies()).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", m.group(1))
                .formParam("list", "morgen").formParam("title", "Sofort").formParam("template", "newsletter_issue|de")
                .formParam("p1", "Sofort").formParam("action", "send").post(base + "/new");
        assertEquals(303, created.statusCode(), created.asString());
        String location = created.getHeader("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);

        String sending = page(w, base + "/" + id, "en");
        assertFalse(sending.contains("Scheduled for"), sending);
        assertTrue(sending.contains("id=\"issue-when\">Started: <time") || sending.contains("id=\"issue-when\">Sent: <time"),
                sending);
        try (Dispatcher d = fx.dispatcher("when", 2)) {
            assertEquals("DONE", fx.drain(d, w, id));
        }
        String done = page(w, base + "/" + id, "en");
        assertTrue(done.contains("id=\"issue-when\">Sent: <time"), done);
        assertFalse(done.contains("Scheduled for"), done);
        assertTrue(page(w, base + "/" + id, "de").contains("id=\"issue-when\">Gesendet: <time"));

        String list = page(w, base, "en");
        assertTrue(list.contains("<th>When</th>"), list);
        assertTrue(list.contains("<td class=\"when\">Sent "), list);
        assertFalse(list.contains("Scheduled for"), list);
    }

    private static String page(Workspace w, String path, String lang) {
        return w.owner().req().accept("text/html").cookie("cc_lang", lang).get(path).then().statusCode(200).extract()
                .asString();
    }
}
