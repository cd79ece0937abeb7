package io.consentcast.whatsapp;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.consentcast.tenancy.TenancyService;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Signed webhooks whose content can never be processed (issue 13): acknowledged to Meta with 200 (so it does not
 * retry for days), parked at once with the reason instead of retried until they give up, nothing handed over, no
 * consent recorded; the workspace's admins see those routed to their number, the operators the unroutable ones in
 * the log and the metrics.
 */
@QuarkusTest
class ParkedWebhookTest {

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    @Inject
    WebhookInbox inbox;

    @Inject
    RecordedEvents events;

    @Inject
    TenantScope tenantScope;

    @Inject
    TenancyService tenancy;

    @Inject
    EntityManager em;

    private static void post(byte[] body) {
        given().header("X-Hub-Signature-256", WaTestSupport.sign(body)).contentType("application/json").body(body)
                .post("/webhooks/whatsapp").then().statusCode(200);
    }

    private static void post(String body) {
        post(body.getBytes(StandardCharsets.UTF_8));
    }

    private static String message(String wamid, String from, String timestamp, String text) {
        return """
                "contacts":[{"profile":{"name":"Ana"},"wa_id":"%s"}],
                "messages":[{"from":"%s","id":"%s","timestamp":"%s","type":"text","text":{"body":"%s"}}]
                """.formatted(from, from, wamid, timestamp, text);
    }

    /** The inbox row whose payload contains {@code marker}: status, reason, workspace, attempts. */
    private Object[] row(String marker) {
        return tenantScope.platform(() -> (Object[]) em.createNativeQuery("SELECT status, park_reason, tenant_id,"
                + " attempts FROM whatsapp_webhook_inbox WHERE payload LIKE ?1").setParameter(1, "%" + marker + "%")
                .getSingleResult());
    }

    private long ledgerRows(String tenantId) {
        return tenantScope.call(tenantId, () -> ((Number) em.createNativeQuery("SELECT count(*) FROM consent_events")
                .getSingleResult()).longValue());
    }

    @Test
    void signedButUnusablePayloadsAreAcknowledgedParkedAtOnceAndShownToTheWorkspacesAdmins() {
        Api owner = Api.newUser("parked");
        String slug = owner.createWorkspace("parked");
        String tenantId = tenancy.findBySlug(slug).orElseThrow().id;
        String phone = WaTestSupport.graphId();
        String waba = WaTestSupport.graphId();
        WaTestSupport.cloudApi(owner, slug, phone, waba, "token");
        String now = String.valueOf(System.currentTimeMillis() / 1000);
        String m = "wamid.parked." + UUID.randomUUID();

        // Routed to the workspace, but out of range.
        Map<String, ParkReason> routed = Map.of(
                m + ".missing", ParkReason.MISSING_FIELD,
                m + ".future", ParkReason.TIMESTAMP_OUT_OF_RANGE,
                m + ".ancient", ParkReason.TIMESTAMP_OUT_OF_RANGE,
                m + ".long", ParkReason.OVERSIZED,
                m + ".nul", ParkReason.NUL_CHARACTER,
                m + ".rawnul", ParkReason.NUL_CHARACTER,
                m + ".badfrom", ParkReason.MALFORMED_STRUCTURE);
        post(WebhookTest.envelope(waba, phone, "messages", """
                "messages":[{"from":"4915100000001","id":"%s","type":"text","text":{"body":"START MORGEN"}}]
                """.formatted(m + ".missing")));
        post(WebhookTest.envelope(waba, phone, "messages", message(m + ".future", "4915100000001", "99999999999",
                "START MORGEN")));
        post(WebhookTest.envelope(waba, phone, "messages", message(m + ".ancient", "4915100000001", "12", "JA")));
        post(WebhookTest.envelope(waba, phone, "messages", message(m + ".long", "4915100000001", now,
                "START MORGEN " + "x".repeat(WebhookCheck.MAX_TEXT))));
        post(WebhookTest.envelope(waba, phone, "messages", message(m + ".nul", "4915100000001", now, "START\\u0000MORGEN")));
        byte[] raw = WebhookTest.envelope(waba, phone, "messages", message(m + ".rawnul", "4915100000001", now,
                "START#MORGEN")).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            raw[i] = raw[i] == '#' ? 0 : raw[i]; // a raw NUL byte inside the text
        }
        post(raw);
        post(WebhookTest.envelope(waba, phone, "messages", message(m + ".badfrom", "+49 151 000", now, "JA")));
        // No workspace can be named: the operators' concern.
        Map<String, ParkReason> unroutable = Map.of(
                m + ".unknown", ParkReason.UNKNOWN_PHONE_NUMBER,
                m + ".notjson", ParkReason.MALFORMED_JSON,
                m + ".structure", ParkReason.MALFORMED_STRUCTURE);
        post(WebhookTest.envelope(waba, "777" + phone, "messages", message(m + ".unknown", "4915100000001", now, "STOP")));
        post("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + m + ".notjson\"");
        post("{\"object\":\"whatsapp_business_account\",\"entry\":{\"id\":\"" + m + ".structure\"}}");
        // A good message in the same batch still goes through.
        String good = m + ".good";
        post(WebhookTest.envelope(waba, phone, "messages", message(good, "4915100000002", now, "Hallo")));

        // The inbox's workers may be at it already: process what is left, until nothing is pending.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> {
            inbox.processPending();
            assertEquals(0L, (long) tenantScope.platform(() -> em.createQuery("select count(e) from InboxEntry e"
                    + " where e.status = 'PENDING' and e.payload like :p", Long.class).setParameter("p", "%" + m + "%")
                    .getSingleResult()));
        });

        for (Map.Entry<String, ParkReason> e : routed.entrySet()) {
            Object[] r = row(e.getKey());
            assertEquals("PARKED", r[0], e.getKey());
            assertEquals(e.getValue().name(), r[1], e.getKey());
            assertEquals(tenantId, r[2], e.getKey());
            assertEquals(1, ((Number) r[3]).intValue(), "parked at the first attempt, never retried: " + e.getKey());
        }
        for (Map.Entry<String, ParkReason> e : unroutable.entrySet()) {
            Object[] r = row(e.getKey());
            assertEquals("PARKED", r[0], e.getKey());
            assertEquals(e.getValue().name(), r[1], e.getKey());
            assertNull(r[2], e.getKey());
        }
        assertEquals("DONE", row(good)[0]);
        inbox.processPending(); // nothing is retried
        assertEquals(1, ((Number) row(m + ".long")[3]).intValue());

        // Nothing was handed over but the good message; no consent was recorded.
        assertEquals(List.of(good), events.inbound(tenantId).stream().map(InboundMessage::messageId).toList());
        assertEquals(0, ledgerRows(tenantId));

        // The workspace's admins see what was parked for their number, and why; members below ADMIN do not.
        List<String> reasons = owner.req().get("/api/tenants/" + slug + "/channel/parked-webhooks").then().statusCode(200)
                .extract().jsonPath().getList("reason", String.class);
        assertEquals(routed.size(), reasons.size());
        assertTrue(reasons.containsAll(routed.values().stream().map(Enum::name).toList()), reasons.toString());
        owner.req().get("/api/tenants/" + slug + "/channel/parked-webhooks").then()
                .body("detail", hasItems(containsString("messages[].timestamp"), containsString("NUL")));
        given().auth().oauth2(owner.token()).accept("text/html").header("Accept-Language", "de")
                .get("/t/" + slug + "/channel/parked").then().statusCode(200)
                .body(containsString("Zeitstempel außerhalb des gültigen Bereichs"))
                .body(containsString("Enthält ein NUL-Zeichen")).body(containsString("Ein Pflichtfeld fehlt"));
        // Operators: a counter per reason, routed or not (and a log line per parked payload).
        given().port(managementPort).get("/q/metrics").then().statusCode(200)
                .body(containsString("consentcast_whatsapp_webhook_parked_total{reason=\"UNKNOWN_PHONE_NUMBER\",routed=\"false\""))
                .body(containsString("consentcast_whatsapp_webhook_parked_total{reason=\"OVERSIZED\",routed=\"true\""));
    }

    @Test
    void membersBelowAdminCannotReadParkedWebhooks() {
        Api owner = Api.newUser("parked-roles");
        String slug = owner.createWorkspace("parkedroles");
        Api editor = Api.newUser("parked-editor");
        owner.addMember(slug, editor, "EDITOR");
        editor.req().get("/api/tenants/" + slug + "/channel/parked-webhooks").then().statusCode(403);
        given().auth().oauth2(editor.token()).accept("text/html").get("/t/" + slug + "/channel/parked").then()
                .statusCode(403);
        Api stranger = Api.newUser("parked-stranger");
        stranger.req().get("/api/tenants/" + slug + "/channel/parked-webhooks").then().statusCode(404);
    }
}
