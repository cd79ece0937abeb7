package io.consentcast.consent;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentcast.consent.Views.SubscriberView;
import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.testsupport.Forms;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Values that a spreadsheet would run as formulas (a reader's User-Agent, an import file name, an admin's reason,
 * the E.164 phone number) leave the CSV export neutralised, NDJSON raw, and the auditor's script
 * {@code docs/verify_export.py} still verifies the export, and notices a tampered one.
 */
@QuarkusTest
class FormulaCellsExportTest {

    static final String EVIL_AGENT = "=HYPERLINK(\"http://evil.example\",\"x\")";
    static final String EVIL_FILE = "@SUM(1+1)*cmd|' /C calc'!A0.csv, row 2";
    static final String MINUS_REASON = "-2+3 said the reader on the phone";
    static final String QUOTED_REASON = "'=already quoted by the publisher";
    static final String TAB_DETAIL = "\tleading tab";

    @Inject
    LedgerFixture fx;

    @Inject
    ConsentService consent;

    record Setup(Api owner, String slug) {
    }

    private Setup setup() {
        Api owner = Api.newUser("formulas");
        String slug = owner.createWorkspace("formulas");
        String listId = owner.req().body(Fixtures.germanList("morgen", "MORGEN"))
                .post("/api/tenants/" + slug + "/lists").then().statusCode(201).extract().path("id");
        // A reader subscribes on the landing page with a browser whose User-Agent is a formula.
        Response form = given().get("/p/" + slug + "/morgen");
        form.then().statusCode(200);
        given().cookies(form.getCookies()).header("User-Agent", EVIL_AGENT)
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", Forms.csrfToken(form.asString()))
                .formParam("phone", "0151 23450001").formParam("country", "DE").formParam("consent", "on")
                .post("/p/" + slug + "/morgen").then().statusCode(200);
        String reader = owner.req().get("/api/tenants/" + slug + "/subscribers").then().statusCode(200)
                .extract().path("items[0].id");
        // An admin records a withdrawal received by phone, with a reason that starts like a formula.
        owner.req().body(Map.of("listId", listId, "reason", MINUS_REASON))
                .post("/api/tenants/" + slug + "/subscribers/" + reader + "/withdraw").then().statusCode(200);
        owner.req().body(Map.of("listId", listId, "reason", QUOTED_REASON))
                .post("/api/tenants/" + slug + "/subscribers/" + reader + "/withdraw").then().statusCode(200);
        UUID list = UUID.fromString(listId);
        SubscriberView imported = fx.in(slug, () -> consent.subscriberFor("+4915123450002"));
        fx.run(slug, () -> {
            consent.append(NewEvent.of(imported.id(), ConsentEventType.IMPORTED, EventSource.IMPORT).forList(list)
                    .withSourceDetail(EVIL_FILE));
            consent.append(NewEvent.of(imported.id(), ConsentEventType.WITHDRAWN, EventSource.WHATSAPP)
                    .withWhatsApp("wamid.tab", null).withSourceDetail(TAB_DETAIL));
        });
        return new Setup(owner, slug);
    }

    @Test
    void csvCellsAreNeutralisedAndNdjsonStaysRaw() throws Exception {
        Setup s = setup();
        String base = "/api/tenants/" + s.slug() + "/consent-events/export";
        String csv = s.owner().req().accept("*/*").get(base).then().statusCode(200)
                .contentType(startsWith("text/csv")).extract().asString();
        List<CSVRecord> records = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv)).getRecords();
        assertEquals(5, records.size(), csv);
        for (CSVRecord r : records) {
            for (String cell : r.values()) {
                assertFalse(!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0,
                        () -> "a cell a spreadsheet would run: " + cell);
            }
        }
        List<Map<String, String>> rows = records.stream().map(CSVRecord::toMap).toList();
        assertTrue(rows.stream().anyMatch(r -> r.get("user_agent").equals("'" + EVIL_AGENT)), csv);
        assertTrue(rows.stream().anyMatch(r -> r.get("source_detail").equals("'" + EVIL_FILE)), csv);
        assertTrue(rows.stream().anyMatch(r -> r.get("source_detail").equals("'" + TAB_DETAIL)), csv);
        assertTrue(rows.stream().anyMatch(r -> r.get("reason").equals("'" + MINUS_REASON)), csv);
        assertTrue(rows.stream().anyMatch(r -> r.get("reason").equals("''=already quoted by the publisher")),
                "a value that starts with ' gets one more, so removing one always gives the raw value: " + csv);
        // The phone number stays readable as text with its plus and every digit.
        assertTrue(rows.stream().anyMatch(r -> r.get("subscriber_phone").equals("'+4915123450001")), csv);

        // The auditor's rule from docs/LEDGER.md: remove one leading ' and every hash verifies.
        for (Map<String, String> row : rows) {
            Map<String, String> raw = new HashMap<>();
            row.forEach((k, v) -> raw.put(k, v.startsWith("'") ? v.substring(1) : v));
            assertEquals(raw.get("hash"), ExportApiTest.auditorHash(raw), () -> "does not re-verify: " + row);
        }

        ObjectMapper mapper = new ObjectMapper();
        String ndjson = s.owner().req().accept("*/*").queryParam("format", "ndjson").get(base).then().statusCode(200)
                .extract().asString();
        List<JsonNode> lines = ndjson.lines().map(l -> {
            try {
                return mapper.readTree(l);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertTrue(lines.stream().anyMatch(n -> EVIL_AGENT.equals(n.path("user_agent").asText())), ndjson);
        assertTrue(lines.stream().anyMatch(n -> QUOTED_REASON.equals(n.path("reason").asText())), ndjson);
        assertTrue(lines.stream().anyMatch(n -> "+4915123450001".equals(n.path("subscriber_phone").asText())), ndjson);
    }

    @Test
    void verifyExportPyVerifiesNeutralisedCellsAndNoticesTampering() throws Exception {
        Setup s = setup();
        String base = "/api/tenants/" + s.slug() + "/consent-events/export";
        String to = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).toString();
        Path dir = Files.createTempDirectory("verify-export");
        for (String format : List.of("csv", "ndjson")) {
            byte[] file = s.owner().req().accept("*/*").queryParam("format", format).queryParam("to", to).get(base)
                    .then().statusCode(200).extract().asByteArray();
            byte[] manifest = s.owner().req().queryParam("format", format).queryParam("to", to).get(base + "/manifest")
                    .then().statusCode(200).extract().asByteArray();
            Path export = Files.write(dir.resolve("consent-events." + format), file);
            Path manifestFile = Files.write(dir.resolve("manifest-" + format + ".json"), manifest);
            Result ok = verify(export, manifestFile);
            assertEquals(0, ok.exit(), format + ": " + ok.output());
            assertTrue(ok.output().contains("5 events checked, 0 problems"), ok.output());
        }

        String csv = Files.readString(dir.resolve("consent-events.csv"), StandardCharsets.UTF_8);
        // Tampered: the admin's reason changed; the neutralising quote kept, so only the content differs.
        Path reason = Files.writeString(dir.resolve("reason.csv"),
                csv.replace("'" + MINUS_REASON, "'-5 said the reader on the phone"), StandardCharsets.UTF_8);
        Result changed = verify(reason, null);
        assertEquals(1, changed.exit(), changed.output());
        assertTrue(changed.output().contains("hash does not match its content"), changed.output());
        // Tampered: one quote removed from a raw value that started with ' (the raw value changes).
        Path quote = Files.writeString(dir.resolve("quote.csv"), csv.replace("''=already", "'=already"),
                StandardCharsets.UTF_8);
        assertNotEquals(csv, Files.readString(quote));
        assertEquals(1, verify(quote, null).exit());
        // Tampered: the recorded browser replaced; its evidence digest no longer matches.
        Path agent = Files.writeString(dir.resolve("agent.csv"), csv.replace("evil.example", "good.example"),
                StandardCharsets.UTF_8);
        Result evidence = verify(agent, null);
        assertEquals(1, evidence.exit(), evidence.output());
        assertTrue(evidence.output().contains("do not match evidence_digest"), evidence.output());
    }

    record Result(int exit, String output) {
    }

    private static Result verify(Path export, Path manifest) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("python3", "docs/verify_export.py", export.toString()));
        if (manifest != null) {
            command.add(manifest.toString());
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "verify_export.py did not finish");
        return new Result(p.exitValue(), out);
    }
}
