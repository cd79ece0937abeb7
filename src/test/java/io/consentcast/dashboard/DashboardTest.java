package io.consentcast.dashboard;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;

import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Forms;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** A newcomer loads sample data into a sandbox workspace and sees a living dashboard. */
@QuarkusTest
class DashboardTest {

    @Test
    void sampleDataFillsTheDashboardWithReadersInEveryState() {
        Api owner = Api.newUser("dash");
        String slug = owner.createWorkspace("dash");
        Response empty = owner.req().accept("text/html").header("Accept-Language", "en").get("/t/" + slug);
        empty.then().statusCode(200).body(containsString("Create your first list"))
                .body(containsString("Load sample data"));
        String token = Forms.csrfToken(empty.asString());

        owner.req().accept("text/html").redirects().follow(false).cookies(empty.getCookies()).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", token).post("/t/" + slug + "/sample-data")
                .then().statusCode(303);

        String html = owner.req().accept("text/html").header("Accept-Language", "de").get("/t/" + slug)
                .then().statusCode(200).body(containsString("Beispiel-Newsletter")).extract().asString();
        // 30 landing-page requests: 6 pending, 6 withdrawn, 3 suppressed, 15 confirmed; 6 imported.
        String row = html.substring(html.indexOf(">Beispiel-Newsletter</a>"));
        row = row.substring(0, row.indexOf("</tr>"));
        assertTrue(row.replaceAll("\\s+", "").replace("<tdclass=\"num\">", "<td>").contains("<td>15</td><td>6</td><td>6</td><td>6</td><td>3</td><td>0</td>"),
                row);

        // The activity log names who loaded it and the list it made (the sample's own changes, too).
        owner.req().get("/api/tenants/" + slug + "/activity").then().statusCode(200)
                .body("find { it.action == 'sample-data.loaded' }.actorEmail", org.hamcrest.Matchers.equalTo(owner.email()))
                .body("find { it.action == 'sample-data.loaded' }.subject",
                        org.hamcrest.Matchers.equalTo("Beispiel-Newsletter"))
                .body("find { it.action == 'sample-data.loaded' }.detail", org.hamcrest.Matchers.equalTo(
                        "List Beispiel-Newsletter: 15 confirmed, 6 pending, 6 withdrawn, 6 imported, 3 suppressed"))
                .body("find { it.action == 'list.created' }.actorEmail", org.hamcrest.Matchers.equalTo(owner.email()));

        // A second load is refused with a reason, nothing doubles.
        owner.req().accept("text/html").cookies(empty.getCookies()).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", token).header("Accept-Language", "en")
                .post("/t/" + slug + "/sample-data").then().statusCode(409)
                .body(containsString("already loaded"));
    }
}
