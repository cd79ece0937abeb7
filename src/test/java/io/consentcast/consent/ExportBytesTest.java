package io.consentcast.consent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.InputStream;
import java.io.StringReader;
import java.io.Writer;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentcast.consent.Views.ConsentTextView;
import io.consentcast.consent.Views.SubscriberView;
import io.consentcast.shared.CsvCells;
import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.testsupport.LedgerGenerator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The export writes its bytes itself (docs/PERFORMANCE.md, section 3); the files stay byte for byte what
 * commons-csv ({@code CSVFormat.RFC4180}, cells through {@link CsvCells}) and Jackson wrote before, for values
 * that need every rule: quotes, commas, line breaks, control characters, backslashes, leading and trailing white
 * space, a leading {@code #} or {@code "}, formula starts, non-ASCII text, instants before PostgreSQL's epoch and at
 * the end of year 9999, whole and sub-second microseconds, and every row still re-verifies.
 */
@QuarkusTest
class ExportBytesTest {

    static final List<String> AWKWARD = List.of("plain", "with, comma", "with \"quotes\"", "line\nbreak",
            "carriage\rreturn", "crlf\r\nend", " leading space", "trailing space ", "trailing tab\t", "#hash first",
            "!bang first", "\"quote first", "$dollar first", "back\\slash", "controls \u0001\u0008\u000c\u001f\u007f",
            "Grüße aus Köln 😀", "line\u2028separator", "=SUM(1)", "+49 formula", "-minus", "@at", "\ttab first",
            "'quote", "''two quotes", "ends with quote\"", "x");

    static final List<Instant> TIMES = List.of(Instant.parse("1999-12-31T23:59:59.000001Z"),
            Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("2026-11-30T15:00:00.120000Z"),
            Instant.parse("9999-12-31T23:59:59.999999Z"), Instant.parse("1970-01-01T00:00:00.5Z"));

    @Inject
    LedgerFixture fx;

    @Inject
    ConsentService consent;

    @Inject
    ObjectMapper mapper;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @TestHTTPResource("/")
    URI root;

    @Test
    void csvAndNdjsonAreWhatCommonsCsvAndJacksonWriteAndReverify() throws Exception {
        Api owner = Api.newUser("bytes");
        String slug = owner.createWorkspace("bytes");
        UUID list = UUID.fromString(owner.req().body(Fixtures.germanList("bytes", "BYTES"))
                .post("/api/tenants/" + slug + "/lists").then().statusCode(201).extract().path("id"));
        ConsentTextView text = fx.in(slug, () -> consent.publishConsentText(list, "de", "Ich willige ein.", null));
        SubscriberView reader = fx.in(slug, () -> consent.subscriberFor("+4915133330001"));
        fx.run(slug, () -> {
            for (int i = 0; i < AWKWARD.size(); i++) {
                String value = AWKWARD.get(i);
                Instant wa = TIMES.get(i % TIMES.size());
                consent.append(NewEvent.of(reader.id(), ConsentEventType.REQUESTED, EventSource.LANDING_PAGE)
                        .forList(i % 2 == 0 ? list : null).withConsentText(i % 4 == 0 ? text.id() : null)
                        .withSourceDetail(value).withClient("203.0.113." + i, false, value));
                consent.append(NewEvent.of(reader.id(), ConsentEventType.CONFIRMED, EventSource.WHATSAPP)
                        .forList(list).withWhatsApp("wamid." + value, wa));
                consent.append(NewEvent.of(reader.id(), ConsentEventType.EXPIRED, EventSource.SYSTEM)
                        .withReason(value));
            }
        });
        String base = "/api/tenants/" + slug + "/consent-events/export";
        byte[] csv = owner.req().accept("*/*").queryParam("format", "csv").get(base).then().statusCode(200).extract()
                .asByteArray();
        byte[] ndjson = owner.req().accept("*/*").queryParam("format", "ndjson").get(base).then().statusCode(200)
                .extract().asByteArray();

        // The values as JSON gives them, rendered again by the libraries the export used to write with.
        List<JsonNode> rows = new ArrayList<>();
        for (String line : new String(ndjson, StandardCharsets.UTF_8).split("\n")) {
            rows.add(mapper.readTree(line));
        }
        assertEquals(3 * AWKWARD.size(), rows.size());
        assertEquals(new String(jackson(rows), StandardCharsets.UTF_8), new String(ndjson, StandardCharsets.UTF_8));
        assertArrayEquals(jackson(rows), ndjson);
        assertEquals(new String(commonsCsv(rows), StandardCharsets.UTF_8), new String(csv, StandardCharsets.UTF_8));
        assertArrayEquals(commonsCsv(rows), csv);

        // What the values are: every awkward value comes back raw (NDJSON) and restored (CSV), every row re-verifies
        // (its instants, UUIDs and numbers are hashed), and the instants are the canonical ones.
        List<CSVRecord> records = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(new String(csv, StandardCharsets.UTF_8))).getRecords();
        assertEquals(rows.size(), records.size());
        List<String> reasons = new ArrayList<>();
        List<String> agents = new ArrayList<>();
        List<String> waTimes = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            JsonNode json = rows.get(i);
            Map<String, String> raw = new HashMap<>();
            records.get(i).toMap().forEach((k, v) -> raw.put(k, CsvCells.restore(v)));
            assertEquals(raw.get("hash"), ExportApiTest.auditorHash(raw), () -> "does not re-verify: " + raw);
            for (Iterator<Map.Entry<String, JsonNode>> f = json.fields(); f.hasNext();) {
                Map.Entry<String, JsonNode> e = f.next();
                assertEquals(e.getValue().isNull() ? "" : e.getValue().asText(), raw.get(e.getKey()), e.getKey());
            }
            assertEquals(i + 1, json.get("seq").asLong());
            if (!json.get("reason").isNull()) {
                reasons.add(json.get("reason").asText());
            }
            if (!json.get("user_agent").isNull()) {
                agents.add(json.get("user_agent").asText());
                assertEquals(json.get("evidence_digest").asText(), LedgerHash.evidenceDigest(
                        json.get("evidence_salt").asText(), json.get("ip").asText(), json.get("user_agent").asText()));
            }
            if (!json.get("wa_timestamp").isNull()) {
                waTimes.add(json.get("wa_timestamp").asText());
            }
            if (!json.get("consent_text_id").isNull()) {
                assertEquals(text.version(), json.get("consent_text_version").asInt());
                assertEquals("de", json.get("consent_text_language").asText());
            }
            assertEquals("+4915133330001", json.get("subscriber_phone").asText());
        }
        assertEquals(AWKWARD, reasons);
        assertEquals(AWKWARD, agents);
        for (int i = 0; i < waTimes.size(); i++) {
            assertEquals(LedgerHash.time(TIMES.get(i % TIMES.size())), waTimes.get(i));
        }
        assertTrue(waTimes.contains("1999-12-31T23:59:59.000001Z"), waTimes.toString());
    }

    /**
     * Admins who abandon large downloads: no COPY is left running in PostgreSQL afterwards, and exports and
     * verification go on working on the same connection pool (a COPY left open would break its connection).
     */
    @Test
    void abandonedDownloadsLeaveNoCopyRunningAndExportsGoOnWorking() throws Exception {
        Api owner = Api.newUser("abandon");
        String slug = owner.createWorkspace("abandon");
        UUID list = UUID.fromString(owner.req().body(Fixtures.germanList("viel", "VIEL"))
                .post("/api/tenants/" + slug + "/lists").then().statusCode(201).extract().path("id"));
        String tenantId = fx.tenantId(slug);
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            // 60,000 events, about 28 MB of CSV: far more than the sockets' buffers hold.
            LedgerGenerator.generate(c, tenantId, list, 6_000, List.of(List.of(ConsentEventType.REQUESTED,
                    ConsentEventType.CONFIRMED, ConsentEventType.WITHDRAWN, ConsentEventType.REQUESTED,
                    ConsentEventType.CONFIRMED, ConsentEventType.SUPPRESSED, ConsentEventType.UNSUPPRESSED,
                    ConsentEventType.WITHDRAWN, ConsentEventType.IMPORTED, ConsentEventType.EXPIRED)), false,
                    "ab" + Long.toString(System.nanoTime() % 1_000_000_000_000L, 36));
        }
        String base = "/api/tenants/" + slug + "/consent-events/export";
        for (int attempt = 0; attempt < 3; attempt++) {
            HttpURLConnection http = (HttpURLConnection) root.resolve(base.substring(1) + "?format=csv").toURL()
                    .openConnection();
            http.setRequestProperty("Authorization", "Bearer " + owner.token());
            assertEquals(200, http.getResponseCode());
            try (InputStream in = http.getInputStream()) {
                assertTrue(in.readNBytes(64 * 1024).length == 64 * 1024);
            }
            http.disconnect();
        }
        // PostgreSQL no longer runs the abandoned exports' COPY (polled: cancelled or finished, it ends asynchronously).
        long abandoned = -1;
        for (int i = 0; i < 120 && abandoned != 0; i++) {
            try (Connection c = DriverManager.getConnection(url, "postgres", "");
                    java.sql.Statement st = c.createStatement();
                    java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                            + " AND query LIKE 'COPY (SELECT %" + tenantId + "%'")) {
                rs.next();
                abandoned = rs.getLong(1);
            }
            if (abandoned != 0) {
                Thread.sleep(500);
            }
        }
        assertEquals(0, abandoned, "the abandoned exports' COPY still runs");
        // Exports and verification go on: every connection of the pool is usable.
        for (int i = 0; i < 6; i++) {
            String csv = owner.req().accept("*/*").queryParam("to", "2000-01-02").get(base).then().statusCode(200)
                    .extract().asString();
            assertEquals(String.join(",", LedgerExport.columnNames()) + "\r\n", csv);
        }
        owner.req().get("/api/tenants/" + slug + "/consent-events/verify").then().statusCode(200)
                .body("valid", org.hamcrest.Matchers.equalTo(true)).body("events", org.hamcrest.Matchers.equalTo(60_000));
    }

    /** NDJSON as the export wrote it with Jackson: numbers for numbers, null, every other value as a string. */
    private byte[] jackson(List<JsonNode> rows) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer writer = new OutputStreamWriter(bytes, StandardCharsets.UTF_8)) {
            JsonGenerator gen = mapper.getFactory().createGenerator(writer);
            gen.setRootValueSeparator(null);
            for (JsonNode row : rows) {
                gen.writeStartObject();
                for (Iterator<Map.Entry<String, JsonNode>> f = row.fields(); f.hasNext();) {
                    Map.Entry<String, JsonNode> e = f.next();
                    gen.writeFieldName(e.getKey());
                    if (e.getValue().isNull()) {
                        gen.writeNull();
                    } else if (e.getValue().isNumber()) {
                        gen.writeNumber(e.getValue().longValue());
                    } else {
                        gen.writeString(e.getValue().asText());
                    }
                }
                gen.writeEndObject();
                gen.writeRaw('\n');
            }
            gen.flush();
        }
        return bytes.toByteArray();
    }

    /** CSV as the export wrote it with commons-csv: RFC 4180, the header, every cell neutralised. */
    private static byte[] commonsCsv(List<JsonNode> rows) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer writer = new OutputStreamWriter(bytes, StandardCharsets.UTF_8);
                CSVPrinter csv = CSVFormat.RFC4180.builder()
                        .setHeader(LedgerExport.columnNames().toArray(String[]::new)).get().print(writer)) {
            for (JsonNode row : rows) {
                List<Object> cells = new ArrayList<>();
                for (String column : LedgerExport.columnNames()) {
                    JsonNode v = row.get(column);
                    cells.add(CsvCells.neutralise(v.isNull() ? null : v.isNumber() ? v.longValue() : v.asText()));
                }
                csv.printRecord(cells);
            }
        }
        return bytes.toByteArray();
    }
}
