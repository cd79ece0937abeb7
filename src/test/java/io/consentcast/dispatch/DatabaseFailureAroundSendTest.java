package io.consentcast.dispatch;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.consentcast.dispatch.CloudFixture.Call;
import io.consentcast.dispatch.CloudFixture.Cloud;
import io.consentcast.testsupport.TestClock;
import io.consentcast.whatsapp.GraphMock;
import io.consentcast.whatsapp.RecordedEvents;
import io.consentcast.whatsapp.SendResult;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Database failures right before and right after a send, injected into the engine's own units of work
 * ({@link FaultInjectingDispatchWork} and {@link FaultInjectingOutcomes}, test-only alternatives of the production beans) while {@link Dispatcher}
 * sends an issue to the Graph fake. Before the send nothing leaves and the rows are sent later; after the send
 * the recorder retries, and when the database stays away longer, the rows wait (AWAITING) until Meta's status
 * webhooks, which carry each delivery's callback data, record them SENT. The same holds for an instance killed
 * with messages on the wire: its rows are in the same state (SENDING, not recorded, lease running).
 */
@QuarkusTest
class DatabaseFailureAroundSendTest {

    @Inject
    CloudFixture cf;

    @Inject
    DispatchFixture fx;

    @Inject
    FaultInjectingDispatchWork faults;

    @Inject
    FaultInjectingOutcomes recording;

    @Inject
    RecordedEvents events;

    @Inject
    TestClock clock;

    @AfterEach
    void reset() {
        faults.reset();
        recording.reset();
        clock.reset();
    }

    private Cloud acceptingCloud(String prefix) {
        Cloud c = cf.cloud(prefix);
        GraphMock.server().stubFor(post(urlEqualTo(c.messages())).willReturn(AmbiguousSendTest.acceptedAnyId()));
        return c;
    }

    @Test
    void aDatabaseFailureBeforeTheSendSendsNothingAndTheReadersGetTheIssueLaterOnce() {
        Cloud c = acceptingCloud("db-before");
        List<String> readers = cf.readers(c, 6);
        String id = cf.sendIssue(c, "Vorher");
        faults.failSenders(1); // the channel's settings cannot be read for the first batch
        faults.failGates(1); // then the consent gate's transaction fails once
        try (Dispatcher d = fx.dispatcher("db-before", 4)) {
            assertEquals("DONE", fx.drain(d, c.w(), id));
        }
        JsonPath v = cf.issue(c, id);
        assertEquals(6, v.getInt("counts.sent"));
        assertEquals(0, v.getInt("counts.failed"));
        assertEquals(6, cf.calls(c).size(), "every reader once, nothing twice");
        cf.assertExactlyOnce(c, id, readers);
    }

    @Test
    void aShortDatabaseFailureAfterTheSendIsRetriedByTheRecorderAndNothingIsSentAgain() {
        Cloud c = acceptingCloud("db-after");
        List<String> readers = cf.readers(c, 6);
        String id = cf.sendIssue(c, "Nachher");
        recording.failRecords(2); // the recorder's third attempt succeeds
        try (Dispatcher d = fx.dispatcher("db-after", 4)) {
            assertEquals("DONE", fx.drain(d, c.w(), id));
        }
        JsonPath v = cf.issue(c, id);
        assertEquals(6, v.getInt("counts.sent"));
        assertEquals(0, v.getInt("counts.failed"));
        assertEquals(6, cf.calls(c).size());
        cf.assertExactlyOnce(c, id, readers);
    }

    @Test
    void sendsNobodyRecordedAtACrashOrALongDatabaseFailureAreRecordedSentByMetasStatusWebhooks() {
        Cloud c = acceptingCloud("db-crash");
        List<String> readers = cf.readers(c, 8);
        String id = cf.sendIssue(c, "Absturz");
        // Meta accepts every message, but none of the answers is ever written: like an instance killed with its
        // messages on the wire, or a database away for longer than the recorder's four attempts.
        recording.failRecords(Integer.MAX_VALUE);
        try (Dispatcher d = fx.dispatcher("db-crash", 4)) {
            d.runOnce();
        }
        recording.reset();
        assertEquals(8, cf.calls(c).size(), "all messages left");
        JsonPath v = cf.issue(c, id);
        assertEquals(8, v.getInt("counts.pending"), "on the wire as far as the database knows");

        // Meta's status webhooks arrive for half of them while the rows are still leased to the dead worker.
        List<Call> calls = cf.calls(c);
        for (Call call : calls.subList(0, 4)) {
            cf.statusWebhook(c, call.wamid(), "sent", call.to(), call.callbackData());
        }
        cf.awaitDelivery(c, id, ds -> ds.stream().filter(d -> "SENT".equals(d.get("state"))).count() == 4);

        // The lease expires: the rest wait for Meta's answer instead of failing, and are never sent again.
        clock.advance(Duration.ofMinutes(3));
        fx.advanceJobs(c.w());
        try (Dispatcher d = fx.dispatcher("db-crash-survivor", 4)) {
            d.runOnce();
            v = cf.issue(c, id);
            assertEquals("SENDING", v.getString("status"));
            assertEquals(4, v.getInt("counts.awaiting"));
            assertEquals(0, v.getInt("counts.pending"));
            for (Call call : calls.subList(4, 8)) {
                cf.statusWebhook(c, call.wamid(), "delivered", call.to(), call.callbackData());
            }
            cf.awaitDelivery(c, id, ds -> ds.stream().allMatch(x -> "SENT".equals(x.get("state"))));
            fx.advanceJobs(c.w());
            d.runOnce();
        }
        v = cf.issue(c, id);
        assertEquals("DONE", v.getString("status"), "done as soon as every row is decided, not after the window");
        assertEquals(8, v.getInt("counts.sent"));
        assertEquals(4, v.getInt("counts.delivered"));
        assertEquals(0, v.getInt("counts.failed"));
        assertEquals(8, cf.calls(c).size(), "nobody got two");
        cf.assertExactlyOnce(c, id, readers);
    }

    @Test
    void statusWebhooksThatOvertakeTheRecorderLeaveNoStaleProviderStatus() {
        Cloud c = acceptingCloud("db-overtake");
        List<String> readers = cf.readers(c, 2);
        String id = cf.sendIssue(c, "Überholt");
        Set<String> overtaken = ConcurrentHashMap.newKeySet();
        // Before the recorder writes SENT and the wamids, Meta's webhooks have been processed: one names the
        // message only by its wamid (unknown to us yet), one carries its callback data as well.
        recording.beforeRecord(sent -> {
            for (DispatchWork.Sent s : sent) {
                String wamid = ((SendResult.Accepted) s.result()).messageId();
                if (!overtaken.add(wamid)) {
                    continue; // a retried attempt of the recorder
                }
                boolean withCallback = s.to().equals(readers.get(1));
                String callback = withCallback ? DeliveryCallback.of(s.row().id()) : null;
                cf.statusWebhook(c, wamid, "delivered", s.to(), callback);
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> events.statuses(c.w().tenantId())
                        .stream().anyMatch(e -> wamid.equals(e.providerMessageId())));
            }
        });
        try (Dispatcher d = fx.dispatcher("db-overtake", 1)) {
            assertEquals("DONE", fx.drain(d, c.w(), id));
        }
        assertEquals(2, overtaken.size());
        JsonPath v = cf.issue(c, id);
        assertEquals(2, v.getInt("counts.sent"));
        assertEquals(2, v.getInt("counts.delivered"), "both deliveries know Meta delivered them");
        List<Map<String, Object>> ds = cf.deliveries(c, id);
        assertTrue(ds.stream().allMatch(d -> "delivered".equals(d.get("providerStatus"))), ds.toString());
        cf.assertExactlyOnce(c, id, readers);
    }
}
