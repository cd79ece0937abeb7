package io.consentcast.consent;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import io.consentcast.consent.Views.SubscriberView;
import io.consentcast.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Events with the longest free texts the ledger accepts (source detail and reason 2,000 characters, WhatsApp message
 * id 256, in multi-byte characters) are too large for the covering export index (V9_50): they are appended all the
 * same, and the export gives them in their place in the chain, between events that are in that index.
 */
@QuarkusTest
class LongFreeTextExportTest {

    @Inject
    LedgerFixture fx;

    @Inject
    ConsentService consent;

    @Test
    void eventsTooLongForTheCoveringIndexAreExportedInChainOrder() throws Exception {
        Api owner = Api.newUser("long-texts");
        String slug = owner.createWorkspace("long-texts");
        SubscriberView anna = fx.in(slug, () -> consent.subscriberFor("+4915122220001"));
        SubscriberView ben = fx.in(slug, () -> consent.subscriberFor("+4915122220002"));
        String detail = "ü".repeat(2_000); // 4,000 bytes
        String reason = "€".repeat(2_000); // 6,000 bytes
        String wamid = "wamid." + "ä".repeat(250);
        fx.run(slug, () -> {
            consent.append(NewEvent.of(anna.id(), ConsentEventType.REQUESTED, EventSource.LANDING_PAGE)
                    .withSourceDetail("https://example.org/p/long"));
            consent.append(NewEvent.of(ben.id(), ConsentEventType.REQUESTED, EventSource.LANDING_PAGE)
                    .withSourceDetail(detail));
            consent.append(NewEvent.of(anna.id(), ConsentEventType.CONFIRMED, EventSource.WHATSAPP)
                    .withWhatsApp(wamid, null).withSourceDetail(detail));
            consent.append(NewEvent.of(anna.id(), ConsentEventType.SUPPRESSED, EventSource.SYSTEM).withReason(reason));
            consent.append(NewEvent.of(anna.id(), ConsentEventType.UNSUPPRESSED, EventSource.SYSTEM)
                    .withReason("bounce cleared"));
            consent.append(NewEvent.of(ben.id(), ConsentEventType.WITHDRAWN, EventSource.API));
        });

        String body = owner.req().accept("*/*").queryParam("format", "csv")
                .get("/api/tenants/" + slug + "/consent-events/export").then().statusCode(200).extract().asString();
        List<Map<String, String>> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(body)).getRecords().stream().map(CSVRecord::toMap).toList();
        assertEquals(6, rows.size());
        // The export's order: subscriber id, then the chain's sequence number, whichever index holds the event.
        Comparator<Map<String, String>> exportOrder = Comparator.<Map<String, String>, String>comparing(
                r -> r.get("subscriber_id")).thenComparing(r -> Long.parseLong(r.get("seq")));
        assertEquals(rows.stream().sorted(exportOrder).toList(), rows);
        List<Map<String, String>> annas = rows.stream()
                .filter(r -> r.get("subscriber_public_id").equals(anna.publicId())).toList();
        assertEquals(List.of("1", "2", "3", "4"), annas.stream().map(r -> r.get("seq")).toList());
        assertEquals(List.of("REQUESTED", "CONFIRMED", "SUPPRESSED", "UNSUPPRESSED"),
                annas.stream().map(r -> r.get("type")).toList());
        assertEquals(detail, annas.get(1).get("source_detail"));
        assertEquals(wamid, annas.get(1).get("wa_message_id"));
        assertEquals(reason, annas.get(2).get("reason"));
        for (int i = 1; i < annas.size(); i++) {
            assertEquals(annas.get(i - 1).get("hash"), annas.get(i).get("prev_hash"), "chain broken at " + i);
            assertEquals(annas.get(i).get("hash"), ExportApiTest.auditorHash(annas.get(i)));
        }

        owner.req().get("/api/tenants/" + slug + "/consent-events/verify").then().statusCode(200)
                .body("valid", equalTo(true)).body("events", equalTo(6));
    }
}
