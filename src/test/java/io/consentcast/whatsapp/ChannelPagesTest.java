package io.consentcast.whatsapp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Forms;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class ChannelPagesTest {

    @Test
    void anAdminConnectsTheCloudApiAndTestsItOnTheGermanChannelPage() {
        Api owner = Api.newUser("page");
        String slug = owner.createWorkspace("page");
        String phone = WaTestSupport.graphId();
        String waba = WaTestSupport.graphId();

        Response page = given().auth().oauth2(owner.token()).header("Accept-Language", "de").accept("text/html")
                .get("/t/" + slug + "/channel");
        page.then().statusCode(200).body(containsString("WhatsApp-Kanal")).body(containsString("Sandbox"));
        String m = Forms.csrfToken(page.asString());
        String cookie = page.getCookie("csrf-token");

        GraphMock.ownedNumber(phone, waba, "page-secret-token");
        given().auth().oauth2(owner.token()).header("Accept-Language", "de").cookie("csrf-token", cookie)
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", m)
                .formParam("type", "cloud-api").formParam("phoneNumberId", phone).formParam("businessAccountId", waba)
                .formParam("displayPhoneNumber", "+49 30 1234567").formParam("accessToken", "page-secret-token")
                .post("/t/" + slug + "/channel").then().statusCode(200)
                .body(containsString("Die Kanaleinstellungen wurden gespeichert."))
                .body(containsString("Ein Token ist gespeichert"))
                .body(not(containsString("page-secret-token")));
        owner.req().get("/api/tenants/" + slug + "/channel").then().body("type", equalTo("cloud-api"))
                .body("displayPhoneNumber", equalTo("+49 30 1234567"));

        GraphMock.server().stubFor(get(urlPathEqualTo("/v23.0/" + phone)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(CloudApiChannelTest.fixture("phone-number.json"))));
        given().auth().oauth2(owner.token()).header("Accept-Language", "de").cookie("csrf-token", cookie)
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", m)
                .post("/t/" + slug + "/channel/test").then().statusCode(200)
                .body(containsString("Die Verbindung funktioniert."))
                .body(containsString("+1 631-555-5555")).body(containsString("<dd>hoch</dd>")) // quality GREEN, in words
                .body(containsString("STANDARD"));

        // Invalid input is explained next to the field, in German.
        given().auth().oauth2(owner.token()).header("Accept-Language", "de").cookie("csrf-token", cookie)
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", m)
                .formParam("type", "cloud-api").formParam("phoneNumberId", "abc").formParam("businessAccountId", waba)
                .post("/t/" + slug + "/channel").then().statusCode(400)
                .body(containsString("Telefonnummern-ID"));

        Api viewer = Api.newUser("viewer");
        owner.addMember(slug, viewer, "VIEWER");
        given().auth().oauth2(viewer.token()).accept("text/html").get("/t/" + slug + "/channel").then()
                .statusCode(403);
    }
}
