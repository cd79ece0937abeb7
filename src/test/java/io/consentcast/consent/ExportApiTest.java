package io.consentcast.consent;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentcast.consent.Views.ConsentTextView;
import io.consentcast.consent.Views.SubscriberView;
import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.TestClock;
import io.quarkus.test.junit.QuarkusTest;

/** Exports as an auditor receives them: re-verified here without the application's hashing code. */
@QuarkusTest
class ExportApiTest {

    @Inject
    LedgerFixture fx;

    @Inject
    ConsentService consent;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /** A list of the workspace (set up through the API: a list filter must name one of the workspace's lists). */
    private UUID list;
    private final UUID otherList = UUID.randomUUID();

    record Setup(Api owner, String slug, SubscriberView anna, SubscriberView ben, ConsentTextView text,
            Instant between) {
    }

    private Setup setup() {
        Api owner = Api.newUser("exporter");
        String slug = owner.createWorkspace("export");
        list = UUID.fromString(owner.req().body(io.consentcast.testsupport.Fixtures.germanList("taeglich", "TAEGLICH"))
                .post("/api/tenants/" + slug + "/lists").then().statusCode(201).extract().path("id"));
        ConsentTextView text = fx.in(slug, () -> consent.publishConsentText(list, "de",
                "Ich willige ein, den Newsletter \"Täglich\" per WhatsApp zu erhalten;\nAbmeldung: STOP.", null));
        SubscriberView anna = fx.in(slug, () -> consent.subscriberFor("+4915122223333"));
        SubscriberView ben = fx.in(slug, () -> consent.subscriberFor("+4915144445555"));
        fx.run(slug, () -> {
            consent.append(NewEvent.of(anna.id(), ConsentEventType.REQUESTED, EventSource.LANDING_PAGE).forList(list)
                    .withConsentText(text.id()).withSourceDetail("https://example.org/p/export?utm=a,b")
                    .withClient("2001:db8:85a3::8a2e:370:7334", true, "Mozilla/5.0 (X11; \"quoted\")\nsecond line"));
            consent.append(NewEvent.of(anna.id(), ConsentEventType.CONFIRMED, EventSource.WHATSAPP).forList(list)
                    .withConsentText(text.id()).withWhatsApp("wamid.ä1", Instant.parse("2026-11-28T10:00:00.123456789Z")));
        });
        clock.advance(Duration.ofDays(2));
        Instant between = clock.instant().minus(Duration.ofDays(1));
        fx.run(slug, () -> {
            consent.append(NewEvent.of(ben.id(), ConsentEventType.IMPORTED, EventSource.IMPORT).forList(otherList)
                    .withSourceDetail("old-crm.csv"));
            consent.append(NewEvent.of(anna.id(), ConsentEventType.WITHDRAWN, EventSource.WHATSAPP)
                    .withWhatsApp("wamid.stop", null));
        });
        return new Setup(owner, slug, anna, ben, text, between);
    }

    /** The canonical serialization as docs/LEDGER.md describes it, written independently of LedgerHash. */
    static String auditorHash(Map<String, String> row) throws Exception {
        StringBuilder sb = new StringBuilder("consentcast-ledger-v1\n");
        for (String name : List.of("id", "tenant_id", "subscriber_id", "seq", "list_id", "type", "occurred_at",
                "source", "source_detail", "consent_text_id", "consent_text_sha256", "evidence_digest",
                "wa_message_id", "wa_timestamp", "actor_user_id", "reason", "prev_hash")) {
            String v = row.get(name);
            sb.append(name).append('=');
            if (v == null || v.isEmpty()) {
                sb.append('-');
            } else {
                sb.append(v.getBytes(StandardCharsets.UTF_8).length).append(':').append(v);
            }
            sb.append('\n');
        }
        return sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void csvExportHasAHeaderAndEveryRowReverifies() throws Exception {
        Setup s = setup();
        var response = s.owner().req().accept("*/*").queryParam("format", "csv")
                .get("/api/tenants/" + s.slug() + "/consent-events/export").then().statusCode(200)
                .contentType(startsWith("text/csv")).extract();
        String body = response.asString();
        List<CSVRecord> records = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(body)).getRecords();
        assertEquals(4, records.size());
        assertTrue(body.startsWith(String.join(",", LedgerExport.columnNames()) + "\r\n"), body);
        String prevOfAnna = LedgerHash.GENESIS;
        for (CSVRecord r : records) {
            Map<String, String> row = r.toMap();
            assertEquals(row.get("hash"), auditorHash(row), () -> "row does not re-verify: " + row);
            if (row.get("subscriber_public_id").equals(s.anna().publicId())) {
                assertEquals(prevOfAnna, row.get("prev_hash"));
                prevOfAnna = row.get("hash");
                // E.164 starts with +: neutralised as text for spreadsheets (FormulaCellsExportTest).
                assertEquals("'+4915122223333", row.get("subscriber_phone"));
            }
        }
        Map<String, String> requested = records.stream().map(CSVRecord::toMap)
                .filter(r -> r.get("type").equals("REQUESTED")).findFirst().orElseThrow();
        assertEquals("2001:db8:85a3:0:0:0:0:0", requested.get("ip"));
        assertEquals("Mozilla/5.0 (X11; \"quoted\")\nsecond line", requested.get("user_agent"));
        assertEquals(s.text().sha256(), requested.get("consent_text_sha256"));
        assertEquals("2", requested.get("consent_text_version"), "version 1 is the text the list was created with");
        // The evidence digest is re-computable from the exported salt, IP and user agent.
        String evidence = "consentcast-evidence-v1\n"
                + "salt=32:" + requested.get("evidence_salt") + "\n"
                + "ip=" + requested.get("ip").length() + ":" + requested.get("ip") + "\n"
                + "user_agent=" + requested.get("user_agent").getBytes(StandardCharsets.UTF_8).length + ":"
                + requested.get("user_agent") + "\n";
        assertEquals(requested.get("evidence_digest"), sha256(evidence.getBytes(StandardCharsets.UTF_8)));
        Map<String, String> confirmed = records.stream().map(CSVRecord::toMap)
                .filter(r -> r.get("type").equals("CONFIRMED")).findFirst().orElseThrow();
        assertEquals("2026-11-28T10:00:00.123456Z", confirmed.get("wa_timestamp"));

        s.owner().req().get("/api/tenants/" + s.slug() + "/activity").then().statusCode(200)
                .body("action", hasItem("consent-events.exported"));
    }

    @Test
    void ndjsonExportIsFilteredByTimeListAndSubscriber() throws Exception {
        Setup s = setup();
        ObjectMapper mapper = new ObjectMapper();
        String base = "/api/tenants/" + s.slug() + "/consent-events/export";
        List<JsonNode> all = lines(mapper, s.owner().req().accept("*/*").queryParam("format", "ndjson").get(base)
                .then().statusCode(200).contentType(startsWith("application/x-ndjson")).extract().asString());
        assertEquals(4, all.size());
        assertEquals(1, all.get(0).get("seq").asInt());
        for (JsonNode n : all) {
            Map<String, String> row = new java.util.HashMap<>();
            n.fields().forEachRemaining(f -> row.put(f.getKey(), f.getValue().isNull() ? null : f.getValue().asText()));
            assertEquals(row.get("hash"), auditorHash(row));
        }

        List<JsonNode> late = lines(mapper, s.owner().req().accept("*/*").queryParam("format", "ndjson")
                .queryParam("from", s.between().toString()).get(base).then().statusCode(200).extract().asString());
        assertEquals(List.of("IMPORTED", "WITHDRAWN"), late.stream().map(n -> n.get("type").asText()).sorted().toList());
        List<JsonNode> early = lines(mapper, s.owner().req().accept("*/*").queryParam("format", "ndjson")
                .queryParam("to", s.between().toString()).get(base).then().statusCode(200).extract().asString());
        assertEquals(2, early.size());

        List<JsonNode> ofList = lines(mapper, s.owner().req().accept("*/*").queryParam("format", "ndjson")
                .queryParam("list", list.toString()).get(base).then().statusCode(200).extract().asString());
        assertEquals(List.of("REQUESTED", "CONFIRMED", "WITHDRAWN"), ofList.stream().map(n -> n.get("type").asText()).toList(),
                "a list's export includes the events for all lists");
        List<JsonNode> ofBen = lines(mapper, s.owner().req().accept("*/*").queryParam("format", "ndjson")
                .queryParam("subscriber", s.ben().publicId()).get(base).then().statusCode(200).extract().asString());
        assertEquals(1, ofBen.size());
        assertEquals("old-crm.csv", ofBen.get(0).get("source_detail").asText());
    }

    private static List<JsonNode> lines(ObjectMapper mapper, String body) throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isEmpty()) {
                out.add(mapper.readTree(line));
            }
        }
        return out;
    }

    @Test
    void theManifestMatchesTheFile() throws Exception {
        Setup s = setup();
        String to = clock.instant().plusSeconds(1).toString();
        byte[] file = s.owner().req().accept("*/*").queryParam("format", "csv").queryParam("to", to)
                .get("/api/tenants/" + s.slug() + "/consent-events/export").then().statusCode(200)
                .extract().asByteArray();
        s.owner().req().queryParam("format", "csv").queryParam("to", to)
                .get("/api/tenants/" + s.slug() + "/consent-events/export/manifest").then().statusCode(200)
                .body("algorithm", equalTo("consentcast-ledger-v1"))
                .body("rows", equalTo(4))
                .body("sha256", equalTo(sha256(file)))
                .body("columns[0]", equalTo("id"))
                .body("verification.valid", equalTo(true))
                .body("verification.events", equalTo(4))
                .body("consentTexts.sha256", hasItem(s.text().sha256()))
                .body("consentTexts.find { it.sha256 == '" + s.text().sha256() + "' }.text", equalTo(s.text().text()));
    }

    @Test
    void badFiltersAndFormatsAreRefused() {
        Api owner = Api.newUser("badexport");
        String slug = owner.createWorkspace("badexp");
        String base = "/api/tenants/" + slug + "/consent-events/export";
        owner.req().accept("*/*").queryParam("format", "xml").get(base).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.format", equalTo("Choose the format csv or ndjson."));
        owner.req().accept("*/*").queryParam("from", "yesterday").queryParam("list", "abc").get(base).then()
                .statusCode(400)
                .body("errors.from", startsWith("Enter a date"))
                .body("errors.list", equalTo("Enter a list id (a UUID)."));
        owner.req().accept("*/*").queryParam("from", "2026-02-01").queryParam("to", "2026-01-01").get(base).then()
                .statusCode(400).body("errors.to", equalTo("The end of the period must be after its start."));
        owner.req().accept("*/*").queryParam("subscriber", "nobody").get(base + "/manifest").then()
                .statusCode(400).body("errors.subscriber", equalTo("There is no subscriber with this id."));
        // The export's COPY takes its filters as literals: a value made to break out of one is refused as unknown.
        owner.req().accept("*/*").queryParam("subscriber", "x' OR ''='").get(base).then()
                .statusCode(400).body("errors.subscriber", equalTo("There is no subscriber with this id."));
        // An empty workspace exports just the header.
        String csv = owner.req().accept("*/*").get(base).then().statusCode(200).extract().asString();
        assertEquals(String.join(",", LedgerExport.columnNames()) + "\r\n", csv);
    }

    @Test
    void onlyOwnersAndAdminsExportAndVerify() {
        Api owner = Api.newUser("own");
        String slug = owner.createWorkspace("roles");
        Api editor = Api.newUser("editor");
        Api admin = Api.newUser("admin");
        Api stranger = Api.newUser("stranger");
        owner.addMember(slug, editor, "EDITOR");
        owner.addMember(slug, admin, "ADMIN");
        String base = "/api/tenants/" + slug + "/consent-events";
        editor.req().accept("*/*").get(base + "/export").then().statusCode(403);
        editor.req().get(base + "/verify").then().statusCode(403);
        stranger.req().accept("*/*").get(base + "/export").then().statusCode(404);
        admin.req().accept("*/*").get(base + "/export?format=ndjson").then().statusCode(200);
        admin.req().get(base + "/verify").then().statusCode(200).body("valid", equalTo(true)).body("events", equalTo(0));
    }
}
