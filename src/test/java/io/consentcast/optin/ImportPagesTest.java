package io.consentcast.optin;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.awaitility.Awaitility;

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
        form.then().statusCode(200).body(containsString("CSV-Datei hochladen"))
                .body(containsString("Noch keine Importe in diese Liste."));
        String token = Forms.csrfToken(form.asString());
        byte[] csv = "phone\n0151 00004001\nnot a number\n".getBytes(StandardCharsets.UTF_8);

        String preview = upload(owner, form, token, slug, csv, "alt.csv", true);
        String page = awaitFinished(owner, preview);
        assertTrue(page.contains("Vorschau (nichts gespeichert)"), page);
        assertTrue(page.contains("2 Zeilen: 1 übernommen, 1 abgelehnt."), page);
        assertTrue(page.contains("ungültige Telefonnummer"), page); // the reason in the page's language
        assertTrue(page.contains("alt.csv"), page);
        owner.req().get("/api/tenants/" + slug + "/subscribers").then().body("total", org.hamcrest.Matchers.equalTo(0));

        String imported = upload(owner, form, token, slug, csv, "alt.csv", false);
        page = awaitFinished(owner, imported);
        assertTrue(page.contains("Importiert"), page);
        assertTrue(page.contains("2 von 2 Zeilen gelesen: 1 übernommen, 1 abgelehnt."), page);
        owner.req().queryParam("state", "IMPORTED").get("/api/tenants/" + slug + "/subscribers").then()
                .body("total", org.hamcrest.Matchers.equalTo(1));

        // The form lists both imports with a link to each.
        owner.req().accept("text/html").header("Accept-Language", "de").get("/t/" + slug + "/lists/morgen/import")
                .then().statusCode(200).body(containsString("Letzte Importe"))
                .body(containsString(imported.substring(imported.indexOf("/t/"))))
                .body(containsString(preview.substring(preview.indexOf("/t/"))));
    }

    @Test
    void aFileThatCannotBeImportedKeepsTheFormAndSaysWhyInThePagesLanguage() {
        Api owner = Api.newUser("importpagebad");
        String slug = owner.createWorkspace("importpagebad");
        owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists")
                .then().statusCode(201);
        byte[] unclosed = "phone,source\n0151 00004011,ok\n0151 00004012,\"offen\n".getBytes(StandardCharsets.UTF_8);
        byte[] latin = "phone,source\n0151 00004013,Müller\n".getBytes(java.nio.charset.Charset.forName("windows-1252"));
        for (String lang : new String[] { "de", "en" }) {
            Response form = owner.req().accept("text/html").header("Accept-Language", lang)
                    .get("/t/" + slug + "/lists/morgen/import");
            String token = Forms.csrfToken(form.asString());
            String quote = owner.req().accept("text/html").header("Accept-Language", lang).cookies(form.getCookies())
                    .contentType("multipart/form-data").multiPart("csrf-token", token)
                    .multiPart("charset", "UTF-8").multiPart("file", "kaputt.csv", unclosed, "text/csv")
                    .post("/t/" + slug + "/lists/morgen/import").then().statusCode(400)
                    .body(containsString("name=\"file\"")).body(containsString("aria-invalid=\"true\""))
                    .extract().asString();
            assertTrue(quote.contains(lang.equals("de")
                    ? "Zeile 3: Ein Feld in Anführungszeichen wird nicht geschlossen"
                    : "Line 3: a quoted field is not closed"), quote);
            String encoding = owner.req().accept("text/html").header("Accept-Language", lang).cookies(form.getCookies())
                    .contentType("multipart/form-data").multiPart("csrf-token", token)
                    .multiPart("charset", "UTF-8").multiPart("file", "excel.csv", latin, "text/csv")
                    .post("/t/" + slug + "/lists/morgen/import").then().statusCode(400).extract().asString();
            assertTrue(encoding.contains(lang.equals("de") ? "Zeile 2 ist kein gültiger UTF-8-Text"
                    : "Line 2 is not valid UTF-8 text"), encoding);
        }
        // With the encoding chosen, the same file is imported.
        Response form = owner.req().accept("text/html").get("/t/" + slug + "/lists/morgen/import");
        String location = upload(owner, form, Forms.csrfToken(form.asString()), slug, latin, "excel.csv", false,
                "windows-1252");
        String done = awaitFinished(owner, location);
        assertTrue(done.contains("1 von 1 Zeilen gelesen: 1 übernommen, 0 abgelehnt."), done);
        String id = owner.req().queryParam("state", "IMPORTED").get("/api/tenants/" + slug + "/subscribers").then()
                .body("total", org.hamcrest.Matchers.equalTo(1)).extract().path("items[0].id");
        owner.req().get("/api/tenants/" + slug + "/subscribers/" + id + "/events").then()
                .body("find { it.type == 'IMPORTED' }.reason", containsString("source: Müller"))
                .body("find { it.type == 'IMPORTED' }.sourceDetail", org.hamcrest.Matchers.equalTo("excel.csv, row 2"));
        owner.req().get("/api/tenants/" + slug + "/lists/morgen/imports").then().body("size()",
                org.hamcrest.Matchers.equalTo(1));
    }

    /** Uploads through the form and returns the progress page it redirects to. */
    private static String upload(Api owner, Response form, String token, String slug, byte[] csv, String name,
            boolean dryRun) {
        return upload(owner, form, token, slug, csv, name, dryRun, "UTF-8");
    }

    private static String upload(Api owner, Response form, String token, String slug, byte[] csv, String name,
            boolean dryRun, String charset) {
        var req = owner.req().accept("text/html").header("Accept-Language", "de").cookies(form.getCookies())
                .redirects().follow(false).contentType("multipart/form-data").multiPart("csrf-token", token)
                .multiPart("charset", charset).multiPart("file", name, csv, "text/csv");
        if (dryRun) {
            req = req.multiPart("dryRun", "on");
        }
        return req.post("/t/" + slug + "/lists/morgen/import").then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.containsString("/t/" + slug + "/lists/morgen/import/jobs/"))
                .extract().header("Location");
    }

    /** Reloads the progress page (as its script does) until the import is finished, and returns it. */
    private static String awaitFinished(Api owner, String location) {
        String[] page = new String[1];
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            page[0] = owner.req().accept("text/html").header("Accept-Language", "de").get(location).then()
                    .statusCode(200).extract().asString();
            return page[0].contains("data-state=\"DONE\"") || page[0].contains("data-state=\"FAILED\"");
        });
        assertTrue(page[0].contains("<script src=\"/assets/import-progress.js\" defer></script>"), page[0]);
        return page[0];
    }

    @Test
    void anAdminWithdrawsConsentOnTheConsentRecord() {
        Api owner = Api.newUser("withdrawpage");
        String slug = owner.createWorkspace("withdrawpage");
        String listId = owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists")
                .then().statusCode(201).extract().path("id");
        Imports.importAndWait(owner, slug, "morgen", "phone\n0151 00004002\n");
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
