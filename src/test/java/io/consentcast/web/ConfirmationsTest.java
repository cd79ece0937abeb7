package io.consentcast.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Destructive forms (close a list, withdraw, erase, remove a member) ask before they post, in the page's
 * language and without inline script: the form carries the question in {@code data-confirm}, the page loads
 * {@code /assets/app.js}, which asks it.
 */
@QuarkusTest
class ConfirmationsTest {

    @Test
    void destructiveFormsAskFirstInThePagesLanguage() {
        PageFormGuardTest.Workspace w = PageFormGuardTest.workspace();
        Api member = Api.newUser("member");
        w.owner().addMember(w.slug(), member, "EDITOR");
        String t = "/t/" + w.slug();

        String list = page(w.owner(), "en", t + "/lists/sweep");
        assertTrue(confirm(list, "/lists/sweep/status").startsWith("Close the list"), list);
        String team = page(w.owner(), "de", t + "/team");
        assertTrue(confirm(team, "/remove").contains("aus diesem Arbeitsbereich entfernen?"), team);
        String record = page(w.owner(), "en", t + "/subscribers/" + w.subscriber());
        assertTrue(confirm(record, "/withdraw").startsWith("Record the withdrawal"), record);
        assertFalse(confirm(record, "/erase").isBlank(), record);
        for (String html : new String[] {list, team, record}) {
            assertTrue(html.contains("<script src=\"/assets/app.js\""), "the page loads the script that asks");
        }
        given().get("/assets/app.js").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("window.confirm(this.getAttribute('data-confirm'))"));
    }

    private static String page(Api user, String lang, String path) {
        return given().auth().oauth2(user.token()).accept("text/html").header("Accept-Language", lang).cookie("cc_lang", lang)
                .get(path).then().statusCode(200).extract().asString();
    }

    /** The question of the form whose action ends with {@code action}; fails when the form asks nothing. */
    private static String confirm(String html, String action) {
        Matcher m = Pattern.compile("<form method=\"post\" action=\"[^\"]*" + Pattern.quote(action) + "\"[^>]*data-confirm=\"([^\"]+)\"")
                .matcher(html);
        assertTrue(m.find(), "the form " + action + " asks nothing:\n" + html);
        return m.group(1).replace("&#39;", "'").replace("&quot;", "\"");
    }
}
