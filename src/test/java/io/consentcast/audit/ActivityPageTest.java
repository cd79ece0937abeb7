package io.consentcast.audit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;

/** The activity log's page names members by their name (the address as its title) and keeps "When" on one line. */
@QuarkusTest
class ActivityPageTest {

    @Test
    void membersAppearByNameWithTheirAddressAndTheTimeStaysOnOneLine() {
        Api owner = Api.newUser("herald");
        String slug = owner.createWorkspace("names");
        String name = owner.email().substring(0, owner.email().indexOf('@')); // the token's name claim
        for (String lang : new String[] {"en", "de"}) {
            String html = owner.req().accept("text/html").cookie("cc_lang", lang).get("/t/" + slug + "/activity")
                    .then().statusCode(200).extract().asString();
            assertTrue(html.contains("<span class=\"actor\" title=\"" + owner.email() + "\">" + name + "</span>"), html);
            assertFalse(html.contains(">" + owner.email() + "</td>"), "the address is not the name shown: " + html);
            assertTrue(html.contains("<td class=\"when\"><time datetime=\""), html);
            assertTrue(html.contains("<th class=\"when\">"), html);
        }
        String css = io.restassured.RestAssured.given().get("/assets/app.css").then().statusCode(200).extract().asString();
        assertTrue(css.contains(".when { white-space: nowrap; }"), "date and time stay on one line");
    }
}
