package io.consentcast.dispatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.consentcast.consent.ConsentEventType;
import io.consentcast.dispatch.DispatchFixture.Workspace;
import io.consentcast.testsupport.TestClock;
import io.consentcast.whatsapp.GraphMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The engine against a WireMock Meta (latency, 429 storms, 5xx, revoked token), two dispatchers
 * on one database, a crash in the middle of an issue, and an opt-out arriving while sending.
 */
@QuarkusTest
class DispatchEngineTest {

    @Inject
    DispatchFixture fx;

    @Inject
    DispatchWork work;

    @Inject
    TestClock clock;

    @Inject
    FaultInjectingDispatchWork faults;

    @Inject
    CloudFixture cf;

    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    record Cloud(Workspace w, String phoneNumberId) {
        String messages() {
            return "/v23.0/" + phoneNumberId + "/messages";
        }
    }

    static String fixture(String name) {
        try (InputStream in = DispatchEngineTest.class.getResourceAsStream("/whatsapp/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String graphId() {
        return String.valueOf(ThreadLocalRandom.current().nextLong(100_000_000_000_000L, 999_999_999_999_999L));
    }

    /** A workspace on the Cloud API (WireMock), templates synced from templates.json. */
    private Cloud cloud(String prefix, String token) {
        Workspace w = fx.workspace(prefix);
        String phone = graphId();
        String waba = graphId();
        GraphMock.ownedNumber(phone, waba, token);
        w.owner().req().body(Map.of("type", "cloud-api", "phoneNumberId", phone, "businessAccountId", waba,
                "displayPhoneNumber", "+49 30 1234567", "accessToken", token))
                .put("/api/tenants/" + w.slug() + "/channel").then().statusCode(200);
        GraphMock.server().stubFor(get(urlPathEqualTo("/v23.0/" + waba + "/message_templates"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(fixture("templates.json"))));
        w.owner().req().post("/api/tenants/" + w.slug() + "/templates/sync").then().statusCode(200);
        return new Cloud(w, phone);
    }

    private void acceptAll(Cloud c, int delayMs) {
        GraphMock.server().stubFor(post(urlEqualTo(c.messages())).willReturn(ok(delayMs)));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder ok(int delayMs) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withFixedDelay(delayMs)
                .withBody("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"x\",\"wa_id\":\"x\"}],"
                        + "\"messages\":[{\"id\":\"wamid.{{randomValue length=24 type='ALPHANUMERIC'}}\"}]}")
                .withTransformers("response-template");
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder error(int status, String file) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(fixture(file));
    }

    private String briefing(Cloud c, String title) {
        return c.w().owner().req().body(Map.of("list", "morgen", "title", title, "template",
                Map.of("name", "morning_briefing", "language", "de", "parameters", List.of(title))))
                .post(c.w().issues()).then().statusCode(201).extract().path("id");
    }

    /** Accepted (HTTP 200) sends per recipient, and all requests per recipient, as WireMock saw them. */
    private Map<String, int[]> requestsByRecipient(Cloud c) {
        Map<String, int[]> out = new HashMap<>();
        for (ServeEvent e : GraphMock.server().getAllServeEvents()) {
            if (!e.getRequest().getUrl().equals(c.messages())) {
                continue;
            }
            try {
                JsonNode body = json.readTree(e.getRequest().getBodyAsString());
                int[] counts = out.computeIfAbsent(body.path("to").asText(), k -> new int[2]);
                counts[1]++;
                if (e.getResponse().getStatus() == 200) {
                    counts[0]++;
                }
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return out;
    }

    private List<String> readers(Cloud c, int n) {
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String phone = DispatchFixture.number();
            fx.confirmed(c.w(), phone);
            phones.add(phone.substring(1));
        }
        return phones;
    }

    private void assertEachAcceptedOnce(Cloud c, List<String> phones) {
        Map<String, int[]> seen = requestsByRecipient(c);
        for (String p : phones) {
            assertTrue(seen.containsKey(p), "reader " + p + " was skipped");
            assertEquals(1, seen.get(p)[0], "reader " + p + " got " + seen.get(p)[0] + " copies");
        }
    }

    @Inject
    jakarta.enterprise.event.Event<io.consentcast.whatsapp.MessageStatusUpdate> statuses;

    @Inject
    io.consentcast.tenancy.TenantScope scope;

    private void status(Workspace w, String wamid, String status, List<io.consentcast.whatsapp.MessageStatusUpdate.StatusError> errors) {
        scope.run(w.tenantId(), () -> statuses.fire(new io.consentcast.whatsapp.MessageStatusUpdate(w.tenantId(),
                wamid, status, java.time.Instant.now(), "4915100000000", errors)));
    }

    @Test
    void statusWebhooksUpdateTheDeliveriesAndNeverGoBack() {
        Cloud c = cloud("eng-status", "tok-status");
        readers(c, 3);
        acceptAll(c, 5);
        String id = briefing(c, "Status");
        c.w().owner().req().post(c.w().issues() + "/" + id + "/send").then().statusCode(200);
        try (Dispatcher d = fx.dispatcher("status", 2)) {
            assertEquals("DONE", fx.drain(d, c.w(), id));
        }
        List<String> wamids = c.w().owner().req().get(c.w().issues() + "/" + id + "/deliveries").then().extract()
                .jsonPath().getList("items.providerMessageId");
        assertEquals(3, wamids.size());
        // Read arrives before delivered: it stays read, and counts as delivered too.
        status(c.w(), wamids.get(0), "read", List.of());
        status(c.w(), wamids.get(0), "delivered", List.of());
        status(c.w(), wamids.get(1), "delivered", List.of());
        status(c.w(), wamids.get(2), "failed",
                List.of(new io.consentcast.whatsapp.MessageStatusUpdate.StatusError(131050, "Marketing stopped", null)));
        c.w().owner().req().get(c.w().issues() + "/" + id).then()
                .body("counts.delivered", org.hamcrest.Matchers.equalTo(2))
                .body("counts.read", org.hamcrest.Matchers.equalTo(1))
                .body("counts.sent", org.hamcrest.Matchers.equalTo(2))
                .body("counts.failed", org.hamcrest.Matchers.equalTo(1))
                .body("failedByReason.'meta-131050'", org.hamcrest.Matchers.equalTo(1));
        c.w().owner().req().get(c.w().issues() + "/" + id + "/deliveries?state=SENT").then()
                .body("items.providerStatus", org.hamcrest.Matchers.containsInAnyOrder("read", "delivered"));
    }

    @Test
    void anUnapprovedTemplateIsRefused() {
        Cloud c = cloud("eng-rejected", "tok-rej");
        c.w().owner().req().body(Map.of("list", "morgen", "title", "Sale", "template",
                Map.of("name", "2023_april_promo", "language", "en_US", "parameters", List.of("a", "b"))))
                .post(c.w().issues()).then().statusCode(400)
                .body("errors.template", org.hamcrest.Matchers.equalTo(
                        "This template is not approved by WhatsApp and cannot be sent."));
    }

    @Test
    void slowAnswers429sAnd5xxSlowTheIssueDownAndItStillReachesEveryReaderOnce() {
        Cloud c = cloud("eng-errors", "tok-errors");
        List<String> phones = readers(c, 30);
        acceptAll(c, 100);
        // Five readers first meet a 429, five Meta's 500 (its error object: not sent); one is not on WhatsApp at all.
        for (int i = 0; i < 10; i++) {
            String scenario = "retry-" + phones.get(i);
            GraphMock.server().stubFor(post(urlEqualTo(c.messages())).withRequestBody(matchingJsonPath("$.to",
                    equalTo(phones.get(i)))).inScenario(scenario).whenScenarioStateIs("Started")
                    .willReturn(i < 5 ? error(429, "error-4.json") : error(500, "error-1.json"))
                    .willSetStateTo("ok"));
            GraphMock.server().stubFor(post(urlEqualTo(c.messages())).withRequestBody(matchingJsonPath("$.to",
                    equalTo(phones.get(i)))).inScenario(scenario).whenScenarioStateIs("ok").willReturn(ok(100)));
        }
        String gone = phones.get(29);
        GraphMock.server().stubFor(post(urlEqualTo(c.messages()))
                .withRequestBody(matchingJsonPath("$.to", equalTo(gone))).willReturn(error(400, "error-131026.json")));

        String id = briefing(c, "Montag");
        c.w().owner().req().post(c.w().issues() + "/" + id + "/send").then().statusCode(200);
        try (Dispatcher d = fx.dispatcher("errors", 8)) {
            assertEquals("DONE", fx.drain(d, c.w(), id));
        }
        JsonPath issue = c.w().owner().req().get(c.w().issues() + "/" + id).then().statusCode(200).extract()
                .jsonPath();
        assertEquals(29, issue.getInt("counts.sent"));
        assertEquals(1, issue.getInt("counts.failed"));
        assertEquals(Map.of("meta-131026", 1), issue.getMap("failedByReason"));
        assertEachAcceptedOnce(c, phones.subList(0, 29));
        assertEquals(2, requestsByRecipient(c).get(phones.get(0))[1], "a 429 is retried");
        assertEquals(2, requestsByRecipient(c).get(phones.get(7))[1], "a 5xx is retried");
    }

    @Test
    void aStormOf429sForAWhileSlowsTheIssueAndItFinishes() throws Exception {
        Cloud c = cloud("eng-storm", "tok-storm");
        List<String> phones = readers(c, 20);
        GraphMock.server().stubFor(post(urlEqualTo(c.messages())).willReturn(error(400, "error-130429.json")));
        String id = briefing(c, "Sturm");
        c.w().owner().req().post(c.w().issues() + "/" + id + "/send").then().statusCode(200);
        try (Dispatcher d = fx.dispatcher("storm", 8)) {
            CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> fx.drain(d, c.w(), id));
            Thread.sleep(1500);
            acceptAll(c, 50); // the storm is over: newer stub wins
            assertEquals("DONE", result.get());
        }
        c.w().owner().req().get(c.w().issues() + "/" + id).then().statusCode(200)
                .body("counts.sent", org.hamcrest.Matchers.equalTo(20));
        assertEachAcceptedOnce(c, phones);
    }

    @Test
    void aRevokedTokenPausesTheIssueWithTheReasonAndItContinuesOnceTheTokenIsReplaced() {
        Cloud c = cloud("eng-token", "tok-old");
        List<String> phones = readers(c, 10);
        GraphMock.server().stubFor(post(urlEqualTo(c.messages())).willReturn(error(401, "error-190.json")));
        String id = briefing(c, "Token");
        c.w().owner().req().post(c.w().issues() + "/" + id + "/send").then().statusCode(200);
        try (Dispatcher d = fx.dispatcher("token", 4)) {
            d.runOnce();
            // The 401 is recorded by the recorder thread (OutcomeRecorder), which may finish after runOnce.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> "PAUSED".equals(fx.status(c.w(), id)));
            c.w().owner().req().get(c.w().issues() + "/" + id).then().statusCode(200)
                    .body("status", org.hamcrest.Matchers.equalTo("PAUSED"))
                    .body("pausedReason", org.hamcrest.Matchers.equalTo("dispatch.paused-channel-stopped"))
                    .body("counts.sent", org.hamcrest.Matchers.equalTo(0))
                    .body("counts.failed", org.hamcrest.Matchers.equalTo(0));
            // Still stopped: the re-check keeps it paused.
            fx.advanceJobs(c.w());
            d.runOnce();
            assertEquals("PAUSED", fx.status(c.w(), id));

            acceptAll(c, 10);
            String waba = graphId();
            GraphMock.ownedNumber(c.phoneNumberId(), waba, "tok-new");
            c.w().owner().req().body(Map.of("type", "cloud-api", "phoneNumberId", c.phoneNumberId(),
                    "businessAccountId", waba, "accessToken", "tok-new"))
                    .put("/api/tenants/" + c.w().slug() + "/channel").then().statusCode(200);
            fx.advanceJobs(c.w());
            assertEquals("DONE", fx.drain(d, c.w(), id));
        }
        c.w().owner().req().get(c.w().issues() + "/" + id).then().body("counts.sent", org.hamcrest.Matchers.equalTo(10))
                .body("pausedReason", org.hamcrest.Matchers.nullValue());
        assertEachAcceptedOnce(c, phones);
    }

    @Test
    void twoDispatchersOnOneDatabaseSendEachReaderExactlyOnce() throws Exception {
        Cloud c = cloud("eng-two", "tok-two");
        List<String> phones = readers(c, 120);
        acceptAll(c, 20);
        String id = briefing(c, "Zwei");
        c.w().owner().req().post(c.w().issues() + "/" + id + "/send").then().statusCode(200);
        try (Dispatcher a = fx.dispatcher("one", 8); Dispatcher b = fx.dispatcher("two", 8)) {
            CompletableFuture<String> ra = CompletableFuture.supplyAsync(() -> fx.drain(a, c.w(), id));
            CompletableFuture<String> rb = CompletableFuture.supplyAsync(() -> fx.drain(b, c.w(), id));
            assertEquals("DONE", ra.get());
            assertEquals("DONE", rb.get());
        }
        assertEachAcceptedOnce(c, phones);
        Map<String, int[]> seen = requestsByRecipient(c);
        assertEquals(120, seen.values().stream().mapToInt(x -> x[1]).sum(), "no request was made twice");
        JsonPath issue = c.w().owner().req().get(c.w().issues() + "/" + id).then().extract().jsonPath();
        assertEquals(120, issue.getInt("counts.sent"));
        // Both instances did part of the work.
        List<Map<String, Object>> rows = c.w().owner().req().get(c.w().issues() + "/" + id + "/deliveries?state=SENT")
                .then().extract().jsonPath().getList("items");
        assertFalse(rows.isEmpty());
    }

    @Test
    void instancesSendingOneIssueShareTheNumbersRate() {
        Cloud c = cloud("eng-share", "tok-share");
        readers(c, 30);
        c.w().owner().req().body(Map.of("ratePerSecond", 90))
                .put("/api/tenants/" + c.w().slug() + "/dispatch-settings").then().statusCode(200);
        String id = briefing(c, "Teilen");
        c.w().owner().req().post(c.w().issues() + "/" + id + "/send").then().statusCode(200);
        DispatchWork.JobRef job = new DispatchWork.JobRef(UUID.fromString(id), c.w().tenantId());
        assertEquals(90, work.claim(job, "first", 5).context().rate(), "alone, an instance has the whole rate");
        assertEquals(45, work.claim(job, "second", 5).context().rate(), "a second instance takes half");
        assertEquals(30, work.claim(job, "third", 5).context().rate(), "three take a third each");
        assertEquals(30, work.claim(job, "first", 5).context().rate(), "and the first slows down too");
    }

    @Test
    void aCrashInTheMiddleOfAnIssueSkipsNobodyAndSendsNothingTwice() {
        Cloud c = cloud("eng-crash", "tok-crash");
        List<String> phones = readers(c, 12);
        acceptAll(c, 5);
        String id = briefing(c, "Absturz");
        c.w().owner().req().post(c.w().issues() + "/" + id + "/send").then().statusCode(200);
        fx.prepare(c.w(), id);
        DispatchWork.JobRef job = new DispatchWork.JobRef(UUID.fromString(id), c.w().tenantId());
        // The dead instance claimed 6 rows, passed 2 of them through the gate (in flight), then died: whether their
        // messages left is unknown (here they did not, and no status webhook will ever name them).
        DispatchWork.Batch batch = work.claim(job, "dead", 6);
        assertEquals(6, batch.rows().size());
        List<String> inFlight = work.gate(batch.context(), batch.rows().subList(0, 2), "dead").passed().stream()
                .map(DispatchWork.Gated::to).toList();
        assertEquals(2, inFlight.size());
        // Its leases expire: the claimed rows are sent by the survivor, the two in flight wait for Meta's answer.
        clock.advance(Duration.ofMinutes(5));
        fx.advanceJobs(c.w());
        try (Dispatcher d = fx.dispatcher("survivor", 4)) {
            JsonPath waiting = cf.settle(d, new CloudFixture.Cloud(c.w(), c.phoneNumberId()), id);
            assertEquals("SENDING", waiting.getString("status"));
            assertEquals(2, waiting.getInt("counts.awaiting"));
            assertEquals(10, waiting.getInt("counts.sent"));
            // None comes within the window: they end FAILED outcome-unknown and the issue is done.
            clock.advance(Duration.ofMinutes(16));
            fx.advanceJobs(c.w());
            d.runOnce();
        }
        JsonPath issue = c.w().owner().req().get(c.w().issues() + "/" + id).then().extract().jsonPath();
        assertEquals("DONE", issue.getString("status"));
        assertEquals(10, issue.getInt("counts.sent"));
        assertEquals(Map.of("outcome-unknown", 2), issue.getMap("failedByReason"));
        assertEquals(12, issue.getInt("counts.total"), "every reader has a final decision");
        assertEquals(0, issue.getInt("counts.pending"));
        Map<String, int[]> seen = requestsByRecipient(c);
        for (String p : phones) {
            int accepted = seen.containsKey(p) ? seen.get(p)[0] : 0;
            assertEquals(inFlight.contains(p) ? 0 : 1, accepted, "reader " + p);
        }
    }

    @Test
    void anIssueCancelledWhileItsInstanceIsDeadLeavesNoRowOpen() {
        Cloud c = cloud("eng-cancel", "tok-cancel");
        readers(c, 6);
        acceptAll(c, 5);
        String id = briefing(c, "Abbruch");
        c.w().owner().req().post(c.w().issues() + "/" + id + "/send").then().statusCode(200);
        fx.prepare(c.w(), id);
        DispatchWork.JobRef job = new DispatchWork.JobRef(UUID.fromString(id), c.w().tenantId());
        DispatchWork.Batch batch = work.claim(job, "dead", 3);
        work.gate(batch.context(), batch.rows().subList(0, 1), "dead");
        c.w().owner().req().post(c.w().issues() + "/" + id + "/cancel").then().statusCode(200);
        clock.advance(Duration.ofMinutes(5));
        fx.advanceJobs(c.w());
        try (Dispatcher d = fx.dispatcher("cancel-dead", 2)) {
            d.runOnce();
            assertEquals(1, cf.issue(new CloudFixture.Cloud(c.w(), c.phoneNumberId()), id).getInt("counts.awaiting"));
            clock.advance(Duration.ofMinutes(16));
            fx.advanceJobs(c.w());
            d.runOnce();
        }
        JsonPath issue = c.w().owner().req().get(c.w().issues() + "/" + id).then().extract().jsonPath();
        assertEquals("CANCELLED", issue.getString("status"));
        assertEquals(0, issue.getInt("counts.pending"));
        assertEquals(0, issue.getInt("counts.awaiting"));
        assertEquals(Map.of("cancelled", 5), issue.getMap("excludedByReason"));
        assertEquals(Map.of("outcome-unknown", 1), issue.getMap("failedByReason"));
        assertTrue(requestsByRecipient(c).isEmpty(), "nothing was sent after the cancel");
    }

    @Test
    void someoneWhoOptsOutWhileTheIssueIsSendingReceivesNothingMore() {
        Cloud c = cloud("eng-optout", "tok-optout");
        List<UUID> subscribers = new ArrayList<>();
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String phone = DispatchFixture.number();
            subscribers.add(fx.confirmed(c.w(), phone));
            phones.add(phone.substring(1));
        }
        acceptAll(c, 5);
        String id = briefing(c, "Abmeldung");
        c.w().owner().req().post(c.w().issues() + "/" + id + "/send").then().statusCode(200);
        // Sending has begun (the first reader's slice has passed the gate); before the second slice is gated, a
        // reader whose turn has not come yet writes STOP.
        java.util.concurrent.atomic.AtomicReference<String> leaverPhone = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.Set<UUID> gated = java.util.concurrent.ConcurrentHashMap.newKeySet();
        faults.beforeGate(rows -> {
            boolean first = gated.isEmpty();
            rows.forEach(r -> gated.add(r.subscriberId()));
            if (first || leaverPhone.get() != null) {
                return;
            }
            UUID leaver = subscribers.stream().filter(s -> !gated.contains(s)).findFirst().orElseThrow();
            leaverPhone.set(phones.get(subscribers.indexOf(leaver)));
            fx.event(c.w(), leaver, ConsentEventType.WITHDRAWN, false);
        });
        try (Dispatcher d = fx.dispatcher("optout", 1)) {
            assertEquals("DONE", fx.drain(d, c.w(), id));
        } finally {
            faults.reset();
        }
        c.w().owner().req().get(c.w().issues() + "/" + id).then()
                .body("counts.sent", org.hamcrest.Matchers.equalTo(5))
                .body("excludedByReason.withdrawn", org.hamcrest.Matchers.equalTo(1));
        assertFalse(requestsByRecipient(c).containsKey(leaverPhone.get()), "the reader who left got nothing");
    }
}
