package io.consentcast.dispatch;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.consentcast.dispatch.CloudFixture.Cloud;
import io.consentcast.whatsapp.GraphMock;
import io.quarkus.test.junit.QuarkusTest;

/**
 * One rate per sending number, across every issue and every instance sending on it: two issues of one number
 * do not each take the full rate.
 */
@QuarkusTest
class NumberRateTest {

    @Inject
    CloudFixture cf;

    @Inject
    DispatchFixture fx;

    @Inject
    DispatchWork work;

    private static void rate(Cloud c, int perSecond) {
        c.w().owner().req().body(Map.of("ratePerSecond", perSecond))
                .put("/api/tenants/" + c.w().slug() + "/dispatch-settings").then().statusCode(200);
    }

    @Test
    void instancesSendingDifferentIssuesOfOneNumberShareItsRate() {
        Cloud c = cf.cloud("rate-share");
        cf.readers(c, 10);
        rate(c, 90);
        DispatchWork.JobRef first = new DispatchWork.JobRef(UUID.fromString(cf.sendIssue(c, "Eins")), c.w().tenantId());
        DispatchWork.JobRef second = new DispatchWork.JobRef(UUID.fromString(cf.sendIssue(c, "Zwei")), c.w().tenantId());
        assertEquals(90, work.claim(first, "rate-a", 2).context().rate(), "alone on the number: the whole rate");
        assertEquals(45, work.claim(second, "rate-b", 2).context().rate(), "another issue, same number: half");
        assertEquals(45, work.claim(first, "rate-a", 2).context().rate(), "and the first instance slows down too");
        work.leaveNumbers("rate-b");
        assertEquals(90, work.claim(first, "rate-a", 2).context().rate(), "the other left: the whole rate again");
    }

    @Test
    void twoIssuesOfOneNumberSentByTwoInstancesAtOnceStayWithinTheNumbersRate() throws Exception {
        Cloud c = cf.cloud("rate-two");
        cf.readers(c, 40);
        int perSecond = 20;
        rate(c, perSecond);
        GraphMock.server().stubFor(post(urlEqualTo(c.messages())).willReturn(AmbiguousSendTest.acceptedAnyId()));
        String one = cf.sendIssue(c, "Eins");
        String two = cf.sendIssue(c, "Zwei");
        try (Dispatcher a = fx.dispatcher("rate-two-a", 8); Dispatcher b = fx.dispatcher("rate-two-b", 8)) {
            CompletableFuture<String> ra = CompletableFuture.supplyAsync(() -> fx.drain(a, c.w(), one));
            CompletableFuture<String> rb = CompletableFuture.supplyAsync(() -> fx.drain(b, c.w(), two));
            assertEquals("DONE", ra.get());
            assertEquals("DONE", rb.get());
            assertEquals("DONE", fx.drain(a, c.w(), two));
            assertEquals("DONE", fx.drain(b, c.w(), one));
        }
        List<Long> at = new ArrayList<>();
        for (LoggedRequest r : GraphMock.server().findAll(postRequestedFor(urlEqualTo(c.messages())))) {
            at.add(r.getLoggedDate().getTime());
        }
        assertEquals(80, at.size(), "both issues reached all 40 readers");
        Collections.sort(at);
        // 80 messages at 20/s take about 4 s; two full rates would take 2 s. Counts per 2-second window, with
        // room for the bursts and the moments an instance joins: never near twice the rate.
        int most = 0;
        for (int i = 0; i < at.size(); i++) {
            int n = 0;
            for (int j = i; j < at.size() && at.get(j) - at.get(i) < 2_000; j++) {
                n++;
            }
            most = Math.max(most, n);
        }
        assertTrue(most <= perSecond * 2 * 1.4, "at most about " + perSecond * 2 + " in any 2 s, saw " + most);
        assertTrue(at.get(at.size() - 1) - at.get(0) >= 2_800, "took " + (at.get(at.size() - 1) - at.get(0)) + " ms");
    }
}
