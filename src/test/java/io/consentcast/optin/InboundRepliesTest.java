package io.consentcast.optin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.consentcast.consent.ConsentEventType;
import io.consentcast.consent.ConsentService;
import io.consentcast.consent.ConsentStatus;
import io.consentcast.consent.SubscriberService;
import io.consentcast.consent.Views.EventView;
import io.consentcast.tenancy.TenancyService;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.whatsapp.GraphMock;
import io.consentcast.whatsapp.ReplySender;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Inbound at crowd speed (issue 14), through the real webhook endpoint, the inbox's worker pool, the opt-in commands
 * and the reply outbox, with Meta played by WireMock: parallel workers keep each sender's messages in order, replies
 * leave after the commit, are retried when Meta fails them, are never sent twice when no answer came, and a reply
 * left behind by a crash is sent by the next drain.
 */
@QuarkusTest
class InboundRepliesTest {

    @Inject
    TenantScope scope;

    @Inject
    TenancyService tenancy;

    @Inject
    ConsentService consent;

    @Inject
    SubscriberService subscribers;

    @Inject
    ReplySender replies;

    @Inject
    Clock clock;

    @Inject
    EntityManager em;

    String tenantId;
    String phoneNumberId;
    UUID listId;

    @BeforeEach
    void workspaceWithCloudApiAndList() {
        Api owner = Api.newUser("crowd");
        String slug = owner.createWorkspace("crowd");
        tenantId = tenancy.findBySlug(slug).orElseThrow().id;
        phoneNumberId = String.valueOf(System.nanoTime());
        GraphMock.ownedNumber(phoneNumberId, "102290129340398", "EAAG-test-token");
        owner.req().body(Map.of("type", "cloud-api", "phoneNumberId", phoneNumberId, "businessAccountId", "102290129340398",
                "displayPhoneNumber", "+49 30 1234567", "accessToken", "EAAG-test-token"))
                .put("/api/tenants/" + slug + "/channel").then().statusCode(200);
        graph().stubFor(post(messages()).willReturn(ok()));
        String id = owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists")
                .then().statusCode(201).extract().path("id");
        listId = UUID.fromString(id);
    }

    private static WireMockServer graph() {
        return GraphMock.server();
    }

    private String messages() {
        return "/v23.0/" + phoneNumberId + "/messages";
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder ok() {
        return aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"x\",\"wa_id\":\"x\"}],"
                        + "\"messages\":[{\"id\":\"wamid.reply" + System.nanoTime() + "\"}]}");
    }

    /** The replies Meta received for {@code to}, in the order they arrived. */
    private List<String> repliesTo(String to) {
        return graph().findAll(postRequestedFor(urlEqualTo(messages())).withRequestBody(matchingJsonPath("$.to",
                equalTo(to)))).stream().map(LoggedRequest::getBodyAsString).toList();
    }

    private Optional<ConsentStatus> state(String e164) {
        return scope.call(tenantId, () -> subscribers.findByPhone(e164).flatMap(s -> consent.stateOf(s.id(), listId)));
    }

    private List<ConsentEventType> history(String e164) {
        return scope.call(tenantId, () -> subscribers.events(subscribers.findByPhone(e164).orElseThrow().id()).stream()
                .map(EventView::type).toList());
    }

    /** The outbox row answering inbound message {@code wamid}: its state. */
    private String outboxState(String wamid) {
        return scope.platform(() -> (String) em.createNativeQuery("SELECT state FROM whatsapp_outbox WHERE in_reply_to = ?1")
                .setParameter(1, wamid).getResultStream().findFirst().orElse(null));
    }

    private long openInboxRows() {
        return scope.platform(() -> ((Number) em.createNativeQuery("SELECT count(*) FROM whatsapp_webhook_inbox"
                + " WHERE status = 'PENDING' AND payload LIKE ?1").setParameter(1, "%" + phoneNumberId + "%")
                .getSingleResult()).longValue());
    }

    @Test
    void eachSendersStartJaStopIsProcessedInOrderWhileSendersInterleave() {
        int readers = 24;
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            numbers.add("49151777" + String.format("%05d", i));
        }
        // Three webhooks, each carrying one message of every reader (Meta may batch them): the inbox stores one row
        // per sender, and its workers (eight, in parallel) take any sender's oldest row; a reader's JA must not
        // overtake their START, nor their STOP the JA.
        for (String word : List.of("START MORGEN", "JA", "STOP")) {
            WhatsAppSimulator.sendMany(phoneNumberId, numbers.stream().map(n -> new String[] { n, word }).toList(),
                    clock.instant());
        }
        // No test thread processes anything: the pool does, woken by the commits.
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> openInboxRows() == 0
                && numbers.stream().allMatch(n -> repliesTo(n).size() == 3));

        for (String n : numbers) {
            assertEquals(List.of(ConsentEventType.REQUESTED, ConsentEventType.CONFIRMED, ConsentEventType.WITHDRAWN),
                    history("+" + n), "reader " + n);
            assertEquals(Optional.of(ConsentStatus.WITHDRAWN), state("+" + n));
            List<String> got = repliesTo(n);
            assertTrue(got.get(0).contains("Bitte bestätigen Sie"), got.get(0));
            assertTrue(got.get(1).contains("ist bestätigt"), got.get(1));
            assertTrue(got.get(2).contains("von allem abgemeldet"), got.get(2));
        }
    }

    @Test
    void aReplyMetaFailsIsRetriedAndTheConsentFactStays() {
        String reader = "4915177700101";
        String start = whatsappAndWait(reader, "START MORGEN");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(outboxState(start)));
        // Meta fails the next reply to this reader once (131000, HTTP 500), then accepts.
        graph().stubFor(post(messages()).withRequestBody(matchingJsonPath("$.to", equalTo(reader)))
                .inScenario("reply-" + reader).whenScenarioStateIs(Scenario.STARTED).willSetStateTo("recovered")
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"Something went wrong\",\"type\":\"OAuthException\","
                                + "\"code\":131000,\"fbtrace_id\":\"A1\"}}")));
        graph().stubFor(post(messages()).withRequestBody(matchingJsonPath("$.to", equalTo(reader)))
                .inScenario("reply-" + reader).whenScenarioStateIs("recovered").willReturn(ok()));

        String ja = whatsappAndWait(reader, "JA");
        // The consent fact was recorded with the inbound message, whatever became of the reply.
        assertEquals(Optional.of(ConsentStatus.CONFIRMED), state("+" + reader));
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            replies.drainPending(); // what the scheduled sweep does every few seconds
            assertEquals("SENT", outboxState(ja));
        });
        List<String> confirmations = repliesTo(reader).stream().filter(b -> b.contains("ist bestätigt")).toList();
        assertEquals(2, confirmations.size(), "refused once, accepted the second time");
        assertEquals(Optional.of(ConsentStatus.CONFIRMED), state("+" + reader));
        assertEquals(List.of(ConsentEventType.REQUESTED, ConsentEventType.CONFIRMED), history("+" + reader));
    }

    @Test
    void aReplyWithoutAnAnswerIsNotSentAgain() {
        String reader = "4915177700102";
        // Meta answers after the read timeout (2 s in tests): it may have accepted the reply.
        graph().stubFor(post(messages()).withRequestBody(matchingJsonPath("$.to", equalTo(reader)))
                .willReturn(ok().withFixedDelay(3_000)));
        String start = whatsappAndWait(reader, "START MORGEN");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "UNKNOWN".equals(outboxState(start)));
        replies.drainPending();
        assertEquals(1, repliesTo(reader).size(), "no second copy of a reply Meta may have accepted");
        assertEquals(Optional.of(ConsentStatus.PENDING), state("+" + reader));
    }

    @Test
    void aReplyLeftBehindByACrashIsSentByTheNextDrainAndOneOnTheWireIsNotResent() {
        String reader = "4915177700103";
        String start = whatsappAndWait(reader, "START MORGEN");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(outboxState(start)));
        // What an instance that died leaves behind: a reply committed with its consent fact but never handed to the
        // sender (its process stopped right after the commit), and one that was on the wire when it stopped (its
        // claim has expired).
        String committed = "wamid.crash." + UUID.randomUUID();
        String onTheWire = "wamid.wire." + UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        scope.platform(() -> {
            em.createNativeQuery("INSERT INTO whatsapp_outbox (id, tenant_id, recipient, body, purpose, in_reply_to,"
                    + " window_ends_at, state, attempts, next_attempt_at, claimed_until, created_at) VALUES"
                    + " (?1, ?2, ?3, 'Danke: bestätigt nach dem Absturz', 'optin.reply.confirmed', ?4, ?5, 'PENDING', 0, ?6,"
                    + " NULL, ?6), (?7, ?2, ?3, 'Auf dem Draht', 'optin.reply.help', ?8, ?5, 'SENDING', 1, ?6, ?9, ?6)")
                    .setParameter(1, UUID.randomUUID()).setParameter(2, tenantId).setParameter(3, reader)
                    .setParameter(4, committed).setParameter(5, now.plusHours(23)).setParameter(6, now.minusMinutes(3))
                    .setParameter(7, UUID.randomUUID()).setParameter(8, onTheWire).setParameter(9, now.minusMinutes(1))
                    .executeUpdate();
            return null;
        });

        replies.drainPending(); // the next drain, on any instance (the scheduled sweep)

        assertEquals("SENT", outboxState(committed));
        assertEquals("UNKNOWN", outboxState(onTheWire));
        List<String> got = repliesTo(reader);
        assertEquals(1, got.stream().filter(b -> b.contains("nach dem Absturz")).count());
        assertEquals(0, got.stream().filter(b -> b.contains("Auf dem Draht")).count());
        replies.drainPending();
        assertEquals(1, repliesTo(reader).stream().filter(b -> b.contains("nach dem Absturz")).count());
    }

    /** The reader writes {@code text}; returns its message id once the inbox has processed it. */
    private String whatsappAndWait(String from, String text) {
        String wamid = WhatsAppSimulator.send(phoneNumberId, from, text, clock.instant());
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> openInboxRows() == 0);
        return wamid;
    }
}
