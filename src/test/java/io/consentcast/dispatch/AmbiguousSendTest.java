package io.consentcast.dispatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;

import io.consentcast.dispatch.CloudFixture.Call;
import io.consentcast.dispatch.CloudFixture.Cloud;
import io.consentcast.testsupport.TestClock;
import io.consentcast.whatsapp.GraphMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Sends whose answer from Meta is lost or refused, injected in the Graph fake the engine really talks to. A
 * failure after the request was written (a 200 that arrives after the read timeout, a connection reset, a 5xx
 * without Meta's error object) is never sent again: the delivery waits for a status webhook naming it, and
 * without one ends FAILED {@code outcome-unknown}. A failure before the write (connection refused) and Meta's own
 * refusals (429, 5xx with its error object) are retried. Every case ends with the fake's journal checked by
 * {@link CloudFixture#assertExactlyOnce}.
 */
@QuarkusTest
class AmbiguousSendTest {

    @Inject
    CloudFixture cf;

    @Inject
    DispatchFixture fx;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    static ResponseDefinitionBuilder accepted(String wamid, int delayMs) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withFixedDelay(delayMs)
                .withBody("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"" + wamid + "\"}]}");
    }

    static ResponseDefinitionBuilder acceptedAnyId() {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid."
                        + "{{randomValue length=24 type='ALPHANUMERIC'}}\"}]}")
                .withTransformers("response-template");
    }

    private static void stubFor(Cloud c, String reader, ResponseDefinitionBuilder answer) {
        GraphMock.server().stubFor(post(urlEqualTo(c.messages()))
                .withRequestBody(matchingJsonPath("$.to", equalTo(reader))).willReturn(answer));
    }

    private static Call callTo(List<Call> calls, String reader) {
        return calls.stream().filter(x -> x.to().equals(reader)).findFirst().orElseThrow();
    }

    @Test
    void anAnswerAfterTheReadTimeoutIsNeverResentAndMetasStatusWebhookMakesItSent() {
        Cloud c = cf.cloud("amb-timeout");
        List<String> readers = cf.readers(c, 5);
        GraphMock.server().stubFor(post(urlEqualTo(c.messages())).willReturn(acceptedAnyId()));
        // Meta accepts these two, but its answer comes after the client's read timeout (2 s in tests).
        List<String> slow = readers.subList(0, 2);
        for (String r : slow) {
            stubFor(c, r, accepted("wamid.slow." + r, 3_000));
        }
        String id = cf.sendIssue(c, "Zeitüberschreitung");
        JsonPath v;
        try (Dispatcher d = fx.dispatcher("amb-timeout", 4)) {
            v = cf.settle(d, c, id);
        }
        assertEquals("SENDING", v.getString("status"), "the issue waits for Meta's answer");
        assertEquals(3, v.getInt("counts.sent"));
        assertEquals(2, v.getInt("counts.awaiting"));
        assertEquals(0, v.getInt("counts.failed"));
        assertEquals(5, cf.calls(c).size(), "nothing was sent twice");
        cf.assertExactlyOnce(c, id, readers);
        String page = "/t/" + c.w().slug() + "/issues/" + id;
        c.w().owner().req().accept("text/html").header("Accept-Language", "en").get(page).then().statusCode(200)
                .body(containsString("2 messages went to WhatsApp but its answer was lost"));
        c.w().owner().req().accept("text/html").cookie("cc_lang", "de").get(page).then().statusCode(200)
                .body(containsString("2 Nachrichten gingen an WhatsApp, aber die Antwort ging verloren"));

        // Meta's status webhooks name the deliveries by their callback data: SENT with the wamid, then delivered.
        List<Call> calls = cf.calls(c);
        for (String r : slow) {
            Call call = callTo(calls, r);
            cf.statusWebhook(c, "wamid.slow." + r, "sent", r, call.callbackData());
            cf.statusWebhook(c, "wamid.slow." + r, "delivered", r, call.callbackData());
        }
        cf.awaitDelivery(c, id, ds -> ds.stream().filter(d -> "delivered".equals(d.get("providerStatus")))
                .count() == 2);
        try (Dispatcher d = fx.dispatcher("amb-timeout-2", 2)) {
            d.runOnce();
        }
        v = cf.issue(c, id);
        assertEquals("DONE", v.getString("status"));
        assertEquals(5, v.getInt("counts.sent"));
        assertEquals(2, v.getInt("counts.delivered"));
        assertEquals(0, v.getInt("counts.awaiting"));
        assertEquals(5, cf.calls(c).size(), "nothing was sent twice");
        cf.assertExactlyOnce(c, id, readers);
    }

    @Test
    void aResetAfterTheWriteWaitsThenEndsOutcomeUnknownAndALateStatusWebhookStillCountsItSent() {
        Cloud c = cf.cloud("amb-reset");
        List<String> readers = cf.readers(c, 4);
        GraphMock.server().stubFor(post(urlEqualTo(c.messages())).willReturn(acceptedAnyId()));
        String reset = readers.get(0);
        stubFor(c, reset, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        String id = cf.sendIssue(c, "Abbruch");
        try (Dispatcher d = fx.dispatcher("amb-reset", 4)) {
            assertEquals(1, cf.settle(d, c, id).getInt("counts.awaiting"));
            // No status webhook within the window: the reader counts as failed, with the reason shown.
            clock.advance(Duration.ofMinutes(16));
            fx.advanceJobs(c.w());
            d.runOnce();
        }
        JsonPath v = cf.issue(c, id);
        assertEquals("DONE", v.getString("status"));
        assertEquals(3, v.getInt("counts.sent"));
        assertEquals(Map.of("outcome-unknown", 1), v.getMap("failedByReason"));
        assertEquals(0, v.getInt("counts.awaiting"));
        cf.assertExactlyOnce(c, id, readers);
        c.w().owner().req().accept("text/html").header("Accept-Language", "en")
                .get("/t/" + c.w().slug() + "/issues/" + id).then().statusCode(200)
                .body(containsString("answer was lost and no delivery report came"));

        // Meta had accepted it after all: a late status webhook still counts it as sent.
        cf.statusWebhook(c, "wamid.late." + reset, "delivered", reset, callTo(cf.calls(c), reset).callbackData());
        cf.awaitDelivery(c, id, ds -> ds.stream().noneMatch(d -> "FAILED".equals(d.get("state"))));
        v = cf.issue(c, id);
        assertEquals(4, v.getInt("counts.sent"));
        assertEquals(1, v.getInt("counts.delivered"));
        assertEquals(0, v.getInt("counts.failed"));
        assertEquals(4, cf.calls(c).size(), "nothing was sent twice");
    }

    @Test
    void aStormOfGatewayErrorsWithoutMetasAnswerSendsNobodyTwiceAndShowsEveryoneAsUnknown() {
        Cloud c = cf.cloud("amb-502");
        List<String> readers = cf.readers(c, 6);
        GraphMock.server().stubFor(post(urlEqualTo(c.messages())).willReturn(aResponse().withStatus(502)
                .withBody("<html>Bad Gateway</html>")));
        String id = cf.sendIssue(c, "Gateway");
        try (Dispatcher d = fx.dispatcher("amb-502", 4)) {
            assertEquals(6, cf.settle(d, c, id).getInt("counts.awaiting"));
            clock.advance(Duration.ofMinutes(16));
            fx.advanceJobs(c.w());
            d.runOnce();
        }
        JsonPath v = cf.issue(c, id);
        assertEquals("DONE", v.getString("status"));
        assertEquals(Map.of("outcome-unknown", 6), v.getMap("failedByReason"));
        assertEquals(6, cf.calls(c).size(), "one request per reader, none repeated");
        cf.assertExactlyOnce(c, id, readers);
    }

    @Test
    void stormsOf429sAndOfMetas5xxAreRetriedAndReachEveryReaderOnce() throws Exception {
        Cloud c = cf.cloud("amb-storm");
        List<String> readers = cf.readers(c, 12);
        // Half the readers meet Meta's 429 (call-rate limit), half its 500 with an error object: both say "not sent".
        for (int i = 0; i < readers.size(); i++) {
            stubFor(c, readers.get(i), i % 2 == 0
                    ? aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                            .withBody(DispatchEngineTest.fixture("error-4.json"))
                    : aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                            .withBody(DispatchEngineTest.fixture("error-1.json")));
        }
        String id = cf.sendIssue(c, "Sturm");
        try (Dispatcher d = fx.dispatcher("amb-storm", 4)) {
            CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> fx.drain(d, c.w(), id));
            Thread.sleep(1_500);
            GraphMock.server().stubFor(post(urlEqualTo(c.messages())).atPriority(1).willReturn(acceptedAnyId()));
            assertEquals("DONE", result.get());
        }
        JsonPath v = cf.issue(c, id);
        assertEquals(12, v.getInt("counts.sent"));
        assertEquals(0, v.getInt("counts.failed"));
        List<Call> calls = cf.calls(c);
        for (String r : readers) {
            assertEquals(1, calls.stream().filter(x -> x.to().equals(r) && x.wamid() != null).count(),
                    "reader " + r + " accepted once");
        }
        cf.assertExactlyOnce(c, id, readers);
    }

    @Test
    void aRefusedConnectionSendsNothingAndTheIssueReachesEveryReaderOnceWhenMetaIsBack() throws Exception {
        Cloud c = cf.cloud("amb-refused");
        List<String> readers = cf.readers(c, 8);
        GraphMock.server().stubFor(post(urlEqualTo(c.messages())).willReturn(acceptedAnyId()));
        String id = cf.sendIssue(c, "Verbindung");
        GraphMock.server().stop(); // the fake's port is closed: every connection is refused
        try (Dispatcher d = fx.dispatcher("amb-refused", 4)) {
            CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> fx.drain(d, c.w(), id));
            Thread.sleep(300);
            GraphMock.server().start();
            assertEquals("DONE", result.get());
        } finally {
            if (!GraphMock.server().isRunning()) {
                GraphMock.server().start();
            }
        }
        JsonPath v = cf.issue(c, id);
        assertEquals(8, v.getInt("counts.sent"));
        assertEquals(0, v.getInt("counts.failed"));
        assertEquals(8, cf.calls(c).size(), "each reader's message reached the fake once");
        cf.assertExactlyOnce(c, id, readers);
    }
}
