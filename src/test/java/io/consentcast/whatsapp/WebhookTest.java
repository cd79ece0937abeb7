package io.consentcast.whatsapp;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.consentcast.shared.Ids;
import io.consentcast.tenancy.TenancyService;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class WebhookTest {

    /** Metrics are served on the management interface (a random free port in tests). */
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

    @Inject
    Clock clock;

    record Workspace(Api owner, String slug, String tenantId, String phoneNumberId, String wabaId) {
    }

    private Workspace cloudWorkspace() {
        Api owner = Api.newUser("hook");
        String slug = owner.createWorkspace("hook");
        String phone = WaTestSupport.graphId();
        String waba = WaTestSupport.graphId();
        WaTestSupport.cloudApi(owner, slug, phone, waba, "token");
        return new Workspace(owner, slug, tenancy.findBySlug(slug).orElseThrow().id, phone, waba);
    }

    static String envelope(String wabaId, String phoneNumberId, String field, String value) {
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"%s","changes":[{"field":"%s","value":
                {"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"%s"},%s}}]}]}
                """.formatted(wabaId, field, phoneNumberId, value);
    }

    static String textMessage(String wamid, String from, String body) {
        return """
                "contacts":[{"profile":{"name":"J\\u00fcrgen"},"wa_id":"%s"}],
                "messages":[{"from":"%s","id":"%s","timestamp":"1764338400","type":"text","text":{"body":"%s"}}]
                """.formatted(from, from, wamid, body);
    }

    static String status(String wamid, String status, long ts) {
        return """
                "statuses":[{"id":"%s","status":"%s","timestamp":"%d","recipient_id":"4915112345678",
                 "conversation":{"id":"c1","origin":{"type":"marketing"}},
                 "pricing":{"billable":true,"pricing_model":"PMP","category":"marketing"}}]
                """.formatted(wamid, status, ts);
    }

    private static void post(String body, int expected) {
        given().header("X-Hub-Signature-256", WaTestSupport.sign(body)).contentType("application/json")
                .body(body.getBytes(StandardCharsets.UTF_8)).post("/webhooks/whatsapp").then().statusCode(expected);
    }

    /** Waits until every stored payload mentioning {@code marker} is processed (the inbox thread may be at it). */
    private void drain(String marker) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> {
            inbox.processPending();
            assertEquals(0L, (long) tenantScope.platform(() -> em.createQuery(
                    "select count(e) from InboxEntry e where e.status = 'PENDING' and e.payload like :p", Long.class)
                    .setParameter("p", "%" + marker + "%").getSingleResult()));
        });
    }

    private long inboxRows() {
        return tenantScope.platform(() -> em.createQuery("select count(e) from InboxEntry e", Long.class)
                .getSingleResult());
    }

    @Test
    void inboundMessagesAreRoutedByThePhoneNumberIdAloneAndComeFromMeta() {
        Workspace w = cloudWorkspace();
        String from = "4915112340077";
        // The workspace's account id or display number in place of the phone number id reach nobody.
        for (String notTheId : List.of(w.wabaId(), GraphMock.DISPLAY_NUMBER.replaceAll("[^0-9]", ""))) {
            String wamid = "wamid.route." + UUID.randomUUID();
            post(envelope(w.wabaId(), notTheId, "messages", textMessage(wamid, from, "STOP")), 200);
            drain(wamid);
        }
        assertTrue(events.inbound(w.tenantId()).isEmpty(), "routed only by the phone number id");
        String wamid = "wamid.route." + UUID.randomUUID();
        post(envelope(w.wabaId(), w.phoneNumberId(), "messages", textMessage(wamid, from, "STOP")), 200);
        drain(wamid);
        InboundMessage in = events.inbound(w.tenantId()).get(0);
        assertEquals(wamid, in.messageId());
        assertEquals(Origin.META, in.origin());
    }

    @Test
    void verificationAnswersTheChallengeOnlyForOurToken() {
        given().queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", "test-verify-token")
                .queryParam("hub.challenge", "1158201444").get("/webhooks/whatsapp")
                .then().statusCode(200).body(equalTo("1158201444"));
        given().queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", "wrong")
                .queryParam("hub.challenge", "1158201444").get("/webhooks/whatsapp").then().statusCode(403);
        given().get("/webhooks/whatsapp").then().statusCode(403);
    }

    @Test
    void aSignedMessageWithEscapedNonAsciiIsStoredThenHandedOver() {
        Workspace w = cloudWorkspace();
        String wamid = "wamid.in." + UUID.randomUUID();
        // Meta escapes non-ASCII: the signature covers these exact bytes, not a re-serialisation.
        String body = envelope(w.wabaId(), w.phoneNumberId(), "messages",
                textMessage(wamid, "4915112345678", "Gr\\u00fc\\u00dfe, START"));
        assertTrue(body.contains("\\u00fc"));

        post(body, 200);
        drain(w.phoneNumberId());

        List<InboundMessage> got = events.inbound(w.tenantId());
        assertEquals(1, got.size());
        InboundMessage m = got.get(0);
        assertEquals("Grüße, START", m.text());
        assertEquals("Jürgen", m.profileName());
        assertEquals("4915112345678", m.from());
        assertEquals(wamid, m.messageId());
        assertEquals("text", m.type());
        assertEquals(Instant.ofEpochSecond(1764338400), m.timestamp());
    }

    @Test
    void aTamperedOrUnsignedBodyIsRefusedAndNotStored() {
        Workspace w = cloudWorkspace();
        String body = envelope(w.wabaId(), w.phoneNumberId(), "messages",
                textMessage("wamid.t." + UUID.randomUUID(), "4915112345678", "Gr\\u00fc\\u00dfe"));
        String signature = WaTestSupport.sign(body);
        String tampered = body.replace("Gr\\u00fc\\u00dfe", "Gr\u00fc\u00dfe"); // same text, other bytes
        long before = inboxRows();

        given().header("X-Hub-Signature-256", signature).contentType("application/json")
                .body(tampered.getBytes(StandardCharsets.UTF_8)).post("/webhooks/whatsapp").then().statusCode(401);
        given().contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8))
                .post("/webhooks/whatsapp").then().statusCode(401);
        given().header("X-Hub-Signature-256", "sha256=zz").contentType("application/json")
                .body(body.getBytes(StandardCharsets.UTF_8)).post("/webhooks/whatsapp").then().statusCode(401);

        assertEquals(before, inboxRows());
        drain(w.phoneNumberId());
        assertEquals(0, events.inbound(w.tenantId()).size());
        given().port(managementPort).get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("consentcast_whatsapp_webhook_rejected_total"));
    }

    @Test
    void duplicateDeliveriesAreHandedOverOnce() {
        Workspace w = cloudWorkspace();
        String wamid = "wamid.dup." + UUID.randomUUID();
        String body = envelope(w.wabaId(), w.phoneNumberId(), "messages", textMessage(wamid, "4917000000001", "STOP"));
        post(body, 200);
        post(body, 200);
        drain(w.phoneNumberId());
        post(body, 200); // Meta retries later, too
        drain(w.phoneNumberId());
        assertEquals(1, events.inbound(w.tenantId()).size());
    }

    @Test
    void statusesOutOfOrderOnlyMoveForward() {
        Workspace w = cloudWorkspace();
        String wamid = "wamid.out." + UUID.randomUUID();
        post(envelope(w.wabaId(), w.phoneNumberId(), "messages", status(wamid, "read", 1764338460)), 200);
        post(envelope(w.wabaId(), w.phoneNumberId(), "messages", status(wamid, "delivered", 1764338430)), 200);
        post(envelope(w.wabaId(), w.phoneNumberId(), "messages", status(wamid, "sent", 1764338410)), 200);
        post(envelope(w.wabaId(), w.phoneNumberId(), "messages", status(wamid, "read", 1764338460)), 200);
        drain(w.phoneNumberId());

        List<MessageStatusUpdate> got = events.statuses(w.tenantId());
        assertEquals(List.of("read"), got.stream().map(MessageStatusUpdate::status).toList());

        String failedWamid = "wamid.fail." + UUID.randomUUID();
        post(envelope(w.wabaId(), w.phoneNumberId(), "messages", status(failedWamid, "sent", 1764338410)), 200);
        post(envelope(w.wabaId(), w.phoneNumberId(), "messages", """
                "statuses":[{"id":"%s","status":"failed","timestamp":"1764338420","recipient_id":"4915112345678",
                 "errors":[{"code":131050,"title":"Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.",
                  "message":"Unable to deliver the message.","error_data":{"details":"Marketing messages stopped"}}]}]
                """.formatted(failedWamid)), 200);
        drain(w.phoneNumberId());
        List<MessageStatusUpdate> failed = events.statuses(w.tenantId()).stream()
                .filter(s -> s.providerMessageId().equals(failedWamid)).toList();
        assertEquals(List.of("sent", "failed"), failed.stream().map(MessageStatusUpdate::status).toList());
        assertEquals(131050, failed.get(1).errors().get(0).code());
        assertEquals(ErrorClass.PERMANENT_RECIPIENT, failed.get(1).errorClass());
    }

    @Test
    void aSpamBlockReportedByStatusWebhookStopsTheChannel() {
        Workspace w = cloudWorkspace();
        String wamid = "wamid.spam." + UUID.randomUUID();
        post(envelope(w.wabaId(), w.phoneNumberId(), "messages", """
                "statuses":[{"id":"%s","status":"failed","timestamp":"1764338420","recipient_id":"4915112345678",
                 "errors":[{"code":131048,"title":"Spam rate limit hit","message":"Spam rate limit hit",
                  "error_data":{"details":"Message failed to send because there are restrictions on how many messages can be sent from this phone number."}}]}]
                """.formatted(wamid)), 200);
        drain(w.phoneNumberId());
        w.owner().req().get("/api/tenants/" + w.slug() + "/channel").then().statusCode(200)
                .body("stopped", equalTo(true)).body("stoppedCode", equalTo(131048))
                .body("stoppedReason", org.hamcrest.Matchers.containsString("spam"));
    }

    @Test
    void buttonsInteractiveRepliesPreferencesAndUnknownFieldsAreHandled() {
        Workspace w = cloudWorkspace();
        String button = "wamid.btn." + UUID.randomUUID();
        String interactive = "wamid.int." + UUID.randomUUID();
        post(envelope(w.wabaId(), w.phoneNumberId(), "messages", """
                "contacts":[{"profile":{"name":"Ana"},"wa_id":"4915100000002"}],
                "messages":[{"context":{"from":"15550783881","id":"wamid.ours"},"from":"4915100000002","id":"%s",
                  "timestamp":"1764338400","type":"button","button":{"payload":"STOP","text":"Stop promotions"}},
                 {"context":{"from":"15550783881","id":"wamid.ours2"},"from":"4915100000002","id":"%s",
                  "timestamp":"1764338401","type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"confirm-yes","title":"Yes"}}},
                 {"from":"4915100000002","id":"wamid.img.%s","timestamp":"1764338402","type":"image","image":{"id":"1","mime_type":"image/jpeg"}}],
                "brand_new_field":{"anything":[1,2,3]}
                """.formatted(button, interactive, UUID.randomUUID())), 200);
        post(envelope(w.wabaId(), w.phoneNumberId(), "user_preferences", """
                "contacts":[{"wa_id":"4915100000002","profile":{"name":"Ana"}}],
                "user_preferences":[{"wa_id":"4915100000002","detail":"User requested to stop marketing messages",
                  "category":"marketing_messages","value":"stop","timestamp":1764338500}]
                """), 200);
        post(envelope(w.wabaId(), w.phoneNumberId(), "some_future_field", "\"x\":1"), 200);
        post(envelope(w.wabaId(), "999999999", "messages", textMessage("wamid.unknown." + UUID.randomUUID(),
                "4915100000003", "hi")), 200);
        post("{\"object\":\"whatsapp_business_account\",\"entry\":\"not-a-list\"}", 200);
        drain(w.phoneNumberId());

        List<InboundMessage> got = events.inbound(w.tenantId());
        assertEquals(3, got.size());
        InboundMessage b = got.stream().filter(m -> m.messageId().equals(button)).findFirst().orElseThrow();
        assertEquals("STOP", b.buttonPayload());
        assertEquals("Stop promotions", b.buttonText());
        assertEquals("wamid.ours", b.contextMessageId());
        InboundMessage i = got.stream().filter(m -> m.messageId().equals(interactive)).findFirst().orElseThrow();
        assertEquals("confirm-yes", i.replyId());
        assertEquals("Yes", i.replyTitle());
        assertTrue(got.stream().anyMatch(m -> m.type().equals("image")));
        assertEquals(List.of(MarketingPreferenceChanged.Preference.STOP),
                events.preferences(w.tenantId()).stream().map(MarketingPreferenceChanged::preference).toList());
        long pending = tenantScope.platform(() -> em.createQuery(
                "select count(e) from InboxEntry e where e.status <> 'DONE' and e.payload like :p", Long.class)
                .setParameter("p", "%" + w.phoneNumberId() + "%").getSingleResult());
        assertEquals(0, pending);
    }

    @Test
    void aPayloadStoredBeforeACrashIsProcessedExactlyOnce() {
        Workspace w = cloudWorkspace();
        String wamid = "wamid.crash." + UUID.randomUUID();
        String payload = envelope(w.wabaId(), w.phoneNumberId(), "messages", textMessage(wamid, "4915100000009", "START"));
        String expiredClaim = envelope(w.wabaId(), w.phoneNumberId(), "messages",
                textMessage(wamid + ".2", "4915100000009", "again"));
        // Stored by the webhook, then the process died: one row never picked up, one claimed by a
        // worker that crashed mid-way (claim expired).
        tenantScope.platform(() -> {
            em.persist(row(payload, null, 0));
            em.persist(row(expiredClaim, clock.instant().minusSeconds(60), 1));
            return null;
        });

        drain(w.phoneNumberId());
        drain(w.phoneNumberId());

        assertEquals(List.of(wamid, wamid + ".2"), events.inbound(w.tenantId()).stream()
                .map(InboundMessage::messageId).sorted().toList());
    }

    private InboxEntry row(String payload, Instant claimedUntil, int attempts) {
        InboxEntry e = new InboxEntry();
        e.id = Ids.uuid7(clock);
        e.source = InboxEntry.SOURCE_META;
        e.payload = payload;
        e.receivedAt = clock.instant();
        e.status = InboxEntry.PENDING;
        e.attempts = attempts;
        e.nextAttemptAt = e.receivedAt;
        e.claimedUntil = claimedUntil;
        return e;
    }
}
