package io.consentcast.optin;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;

import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Forms;
import io.consentcast.testsupport.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** An admin imports a CSV file from the list's page and reads the report in the page's language. */
@QuarkusTest
class ImportPagesTest {

    @Test
    void aPreviewThenAnImportFromThePage() {
        Api owner = Api.newUser("importpage");
        String slug = owner.createWorkspace("importpage");
        owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists")
                .then().statusCode(201);
        Response form = owner.req().accept("text/html").header("Accept-Language", "de")
                .get("/t/" + slug + "/lists/morgen/import");
        form.then().statusCode(200).body(containsString("CSV-Datei hochladen"));
        String token = Forms.csrfToken(form.asString());
        byte[] csv = "phone\n0151 00004001\nnot a number\n".getBytes(StandardCharsets.UTF_8);

        owner.req().accept("text/html").header("Accept-Language", "de").cookies(form.getCookies())
                .contentType("multipart/form-data").multiPart("csrf-token", token)
                .multiPart("dryRun", "on").multiPart("file", "alt.csv", csv, "text/csv")
                .post("/t/" + slug + "/lists/morgen/import").then().statusCode(200)
                .body(containsString("Vorschau (nichts gespeichert)"))
                .body(containsString("2 Zeilen: 1 übernommen, 1 abgelehnt."))
                .body(containsString("invalid phone number"));
        owner.req().get("/api/tenants/" + slug + "/subscribers").then().body("total", org.hamcrest.Matchers.equalTo(0));

        owner.req().accept("text/html").header("Accept-Language", "de").cookies(form.getCookies())
                .contentType("multipart/form-data").multiPart("csrf-token", token)
                .multiPart("file", "alt.csv", csv, "text/csv")
                .post("/t/" + slug + "/lists/morgen/import").then().statusCode(200)
                .body(containsString("Importiert"));
        owner.req().queryParam("state", "IMPORTED").get("/api/tenants/" + slug + "/subscribers").then()
                .body("total", org.hamcrest.Matchers.equalTo(1));
    }

    @Test
    void anAdminWithdrawsConsentOnTheConsentRecord() {
        Api owner = Api.newUser("withdrawpage");
        String slug = owner.createWorkspace("withdrawpage");
        String listId = owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists")
                .then().statusCode(201).extract().path("id");
        owner.req().contentType("text/csv").body("phone\n0151 00004002\n")
                .post("/api/tenants/" + slug + "/lists/morgen/imports").then().statusCode(200);
        String id = owner.req().get("/api/tenants/" + slug + "/subscribers").then().extract().path("items[0].id");
        Response record = owner.req().accept("text/html").get("/t/" + slug + "/subscribers/" + id);
        record.then().statusCode(200).body(containsString("name=\"reason\""));
        String token = Forms.csrfToken(record.asString());
        owner.req().accept("text/html").redirects().follow(false).cookies(record.getCookies())
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", token)
                .formParam("list", listId).formParam("reason", "asked us by phone")
                .post("/t/" + slug + "/subscribers/" + id + "/withdraw").then().statusCode(303);
        owner.req().get("/api/tenants/" + slug + "/subscribers/" + id + "/events").then().statusCode(200)
                .body("find { it.type == 'WITHDRAWN' }.reason", org.hamcrest.Matchers.equalTo("asked us by phone"))
                .body("find { it.type == 'WITHDRAWN' }.actorUserId", org.hamcrest.Matchers.notNullValue());
    }
}
