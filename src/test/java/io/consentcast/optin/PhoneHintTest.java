package io.consentcast.optin;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.testsupport.Forms;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The landing page's error for an invalid number says what is wrong with the number as it was written. */
@QuarkusTest
class PhoneHintTest {

    @Test
    void aNumberWithItsCountryCodeIsNotAskedForTheCountryCode() {
        Api owner = Api.newUser("hint");
        String slug = owner.createWorkspace("hint");
        owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists").then().statusCode(201);
        var english = Fixtures.germanList("morning", "MORNING");
        english.put("language", "en");
        owner.req().body(english).post("/api/tenants/" + slug + "/lists").then().statusCode(201);

        String withCode = submit(slug, "morning", "+49 151 234");
        assertTrue(withCode.contains("the digits after the country code"), withCode);
        assertFalse(withCode.contains("enter the number with its country code"), withCode);
        String withCodeDe = submit(slug, "morgen", "0049 151 234");
        assertTrue(withCodeDe.contains("Die Ziffern nach der Ländervorwahl"), withCodeDe);
        assertFalse(withCodeDe.contains("mit Ländervorwahl ein"), withCodeDe);

        String without = submit(slug, "morning", "0151 234");
        assertTrue(without.contains("in the chosen country"), without);
        assertTrue(without.contains("value=\"0151 234\""), "the entry is kept");
    }

    /** The landing page speaks its list's language. */
    private static String submit(String slug, String list, String phone) {
        String token = Forms.csrfToken(given().get("/p/" + slug + "/" + list).asString());
        Response r = given().contentType("application/x-www-form-urlencoded").formParam("csrf-token", token)
                .formParam("phone", phone).formParam("country", "DE").formParam("consent", "on")
                .post("/p/" + slug + "/" + list);
        assertEquals(400, r.statusCode(), r.asString());
        return r.asString();
    }
}
