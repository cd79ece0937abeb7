package io.consentcast.dispatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.consentcast.dispatch.CloudFixture.Cloud;
import io.consentcast.shared.SqlValues;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.TestClock;
import io.consentcast.whatsapp.GraphMock;
import io.consentcast.whatsapp.WebhookInbox;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Issue 17 wired into dispatch, through the production paths (REST API, pages, the engine, signed webhooks against
 * the Graph WireMock): the portfolio's messaging limit plans and holds back an issue, a quality webhook pauses a
 * sending marketing issue until marketing was resumed, the cost estimate, and the billable counts from the status
 * webhooks' pricing.
 */
@QuarkusTest
class LimitAwareDispatchTest {

    @Inject
    DispatchFixture fx;

    @Inject
    CloudFixture cf;

    @Inject
    TestClock clock;

    @Inject
    TenantScope scope;

    @Inject
    WebhookInbox inbox;

    @Inject
    EntityManager em;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static void acceptAll(Cloud c) {
        GraphMock.server().stubFor(post(urlEqualTo(c.messages())).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"x\",\"wa_id\":\"x\"}],"
                        + "\"messages\":[{\"id\":\"wamid.{{randomValue length=24 type='ALPHANUMERIC'}}\"}]}")
                .withTransformers("response-template")));
    }

    private String draft(Cloud c, String title) {
        return c.w().owner().req().body(Map.of("list", "morgen", "title", title, "template",
                Map.of("name", "morning_briefing", "language", "de", "parameters", List.of(title))))
                .post(c.w().issues()).then().statusCode(201).extract().path("id");
    }

    private JsonPath limit(Cloud c) {
        return c.w().owner().req().get("/api/tenants/" + c.w().slug() + "/channel/messaging-limit").then()
                .statusCode(200).extract().jsonPath();
    }

    /** Other recipients the portfolio reached (other workspaces, replies): {@code n} of them at {@code at}. */
    private void reachedElsewhere(String waba, String tenantId, int n, Instant at, String prefix) {
        scope.platform(() -> em.createNativeQuery("insert into whatsapp_portfolio_sends (business_account_id,"
                + " tenant_id, phone_number_id, recipient, sent_at) select ?1, ?2, 'elsewhere', ?3 || g, ?4"
                + " from generate_series(1, ?5) g").setParameter(1, waba).setParameter(2, tenantId)
                .setParameter(3, prefix).setParameter(4, SqlValues.ts(at)).setParameter(5, n).executeUpdate());
    }

    /** The most distinct recipients the portfolio reached in any 24 hours ending at one of its sends. */
    private long mostInAnyWindow(String waba) {
        return scope.platform(() -> ((Number) em.createNativeQuery("select coalesce(max(n), 0) from (select"
                + " (select count(distinct s2.recipient) from whatsapp_portfolio_sends s2 where"
                + " s2.business_account_id = s.business_account_id and s2.sent_at > s.sent_at - interval '24 hours'"
                + " and s2.sent_at <= s.sent_at) as n from whatsapp_portfolio_sends s where s.business_account_id = ?1) w")
                .setParameter(1, waba).getSingleResult()).longValue());
    }

    private long accepted(Cloud c) {
        return cf.calls(c).stream().filter(CloudFixture.Call::maybeAccepted).count();
    }

    @Test
    void anIssueBeyondTheMessagingLimitSendsWhatFitsAndTheRestWhenCapacityReturnsNeverMoreThanTheLimit() {
        Cloud c = cf.cloud("limit");
        acceptAll(c);
        List<String> readers = cf.readers(c, 5);
        JsonPath l = limit(c);
        String waba = l.getString("businessAccountId");
        int max = l.getInt("limit");
        assertEquals(2000, max, "the portfolio's limit as Meta reported it (TIER_2K)");
        Instant t0 = clock.instant();
        // The portfolio reached max - 3 others: one 23 hours ago (leaves the window in an hour), the rest an hour ago.
        reachedElsewhere(waba, c.w().tenantId(), 1, t0.minus(Duration.ofHours(23)), "old");
        reachedElsewhere(waba, c.w().tenantId(), max - 4, t0.minus(Duration.ofHours(1)), "recent");

        String id = draft(c, "Limit");
        JsonPath before = cf.issue(c, id);
        assertEquals(5, before.getLong("outlook.plan.recipients"));
        assertEquals(3, before.getLong("outlook.plan.goNow"));
        assertEquals(2, before.getLong("outlook.plan.later"));
        String warning = before.getString("outlook.warnings[0].message");
        assertTrue(warning.startsWith("3 of 5 can go now; the rest from "), warning);
        given().auth().oauth2(c.w().owner().token()).accept("text/html").header("Accept-Language", "de")
                .get("/t/" + c.w().slug() + "/issues/" + id).then().statusCode(200)
                .body(containsString("3 von 5 können jetzt gesendet werden; der Rest ab"))
                .body(containsString("Die übrigen 2 warten auf das Nachrichtenlimit"));

        c.w().owner().req().post(c.w().issues() + "/" + id + "/send").then().statusCode(200);
        try (Dispatcher d = fx.dispatcher("limit-1", 4)) {
            d.runOnce();
            d.runOnce();
            JsonPath v = cf.issue(c, id);
            assertEquals("SENDING", v.getString("status"));
            assertEquals(3, v.getLong("counts.sent"));
            assertEquals(2, v.getLong("counts.pending"));
            assertEquals(2, v.getLong("outlook.plan.waiting"), "the plan shows the rows the limit holds back");
            assertEquals(3, accepted(c), "Meta never saw a send beyond the limit");
            assertTrue(mostInAnyWindow(waba) <= max);
            given().auth().oauth2(c.w().owner().token()).accept("text/html").header("Accept-Language", "en")
                    .get("/t/" + c.w().slug() + "/issues/" + id).then().statusCode(200)
                    .body(containsString("2 messages are waiting for the messaging limit right now."));

            // An hour later the oldest recipient has left the window: one more goes, not two.
            clock.advance(Duration.ofHours(1).plusMinutes(1));
            fx.advanceJobs(c.w());
            d.runOnce();
            d.runOnce();
            assertEquals(4, accepted(c));
            assertEquals(1, cf.issue(c, id).getLong("counts.pending"));
            assertTrue(mostInAnyWindow(waba) <= max);

            // 23 hours after the start the others leave too: the last reader gets it and the issue is done.
            clock.advance(Duration.ofHours(22));
            fx.advanceJobs(c.w());
            d.runOnce();
            d.runOnce();
            JsonPath done = cf.issue(c, id);
            assertEquals("DONE", done.getString("status"));
            assertEquals(5, done.getLong("counts.sent"));
        }
        assertEquals(5, accepted(c));
        assertTrue(mostInAnyWindow(waba) <= max, "never more than the limit in any 24 hours");
        cf.assertExactlyOnce(c, id, readers);
    }

    @Test
    void twoIssuesCompetingForTheLastCapacityNeverExceedTheLimit() {
        Cloud c = cf.cloud("race");
        acceptAll(c);
        cf.readers(c, 6);
        JsonPath l = limit(c);
        String waba = l.getString("businessAccountId");
        int max = l.getInt("limit");
        reachedElsewhere(waba, c.w().tenantId(), max - 2, clock.instant().minus(Duration.ofHours(2)), "r");
        String a = draft(c, "A");
        String b = draft(c, "B");
        c.w().owner().req().post(c.w().issues() + "/" + a + "/send").then().statusCode(200);
        c.w().owner().req().post(c.w().issues() + "/" + b + "/send").then().statusCode(200);
        try (Dispatcher d1 = fx.dispatcher("race-1", 4); Dispatcher d2 = fx.dispatcher("race-2", 4)) {
            var f = java.util.concurrent.CompletableFuture.runAsync(d1::runOnce);
            d2.runOnce();
            f.join();
        }
        // Both issues go to the same 6 readers: 2 new recipients fit, and each may get both issues.
        long sent = cf.issue(c, a).getLong("counts.sent") + cf.issue(c, b).getLong("counts.sent");
        assertTrue(sent <= 4, "at most the 2 recipients that fit, once per issue: " + sent);
        assertTrue(mostInAnyWindow(waba) <= max, "the two dispatchers together stayed within the limit");
        long distinct = cf.calls(c).stream().filter(CloudFixture.Call::maybeAccepted).map(CloudFixture.Call::to)
                .distinct().count();
        assertEquals(2, distinct, "exactly the remaining capacity was used");
    }

    private void qualityWebhook(Cloud c, String waba, String event) {
        String body = """
                {"entry":[{"id":"%s","time":%d,"changes":[{"value":{"display_phone_number":"49301234567",
                 "event":"%s","current_limit":"TIER_2K"},"field":"phone_number_quality_update"}]}],
                 "object":"whatsapp_business_account"}""".formatted(waba, Instant.now().getEpochSecond(), event);
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        given().header("X-Hub-Signature-256", CloudFixture.sign(bytes)).contentType("application/json").body(bytes)
                .post("/webhooks/whatsapp").then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            inbox.processPending();
            assertEquals(0L, (long) scope.platform(() -> em.createQuery(
                    "select count(e) from InboxEntry e where e.status = 'PENDING' and e.payload like :p", Long.class)
                    .setParameter("p", "%" + waba + "%").getSingleResult()));
        });
    }

    @Test
    void aFlaggedNumberPausesTheSendingMarketingIssueAndResumingWaitsForTheAcknowledgement() {
        Cloud c = cf.cloud("flag");
        acceptAll(c);
        cf.readers(c, 3);
        String waba = limit(c).getString("businessAccountId");
        String id = draft(c, "Flag");
        c.w().owner().req().post(c.w().issues() + "/" + id + "/send").then().statusCode(200);
        String sending = cf.issue(c, id).getString("status");
        assertTrue("PREPARING".equals(sending) || "SENDING".equals(sending), sending);

        qualityWebhook(c, waba, "FLAGGED");
        JsonPath v = cf.issue(c, id);
        assertEquals("PAUSED", v.getString("status"));
        assertEquals("dispatch.paused-number-flagged", v.getString("pausedReason"));
        assertTrue(v.getString("pausedMessage").contains("WhatsApp flagged the number"));
        given().auth().oauth2(c.w().owner().token()).accept("text/html").header("Accept-Language", "de")
                .get("/t/" + c.w().slug() + "/issues/" + id).then().statusCode(200)
                .body(containsString("WhatsApp hat die Nummer markiert"));
        try (Dispatcher d = fx.dispatcher("flag-1", 2)) {
            d.runOnce();
        }
        assertEquals(0, accepted(c), "nothing was sent while paused");

        // Resuming is refused while marketing is paused, and a new marketing issue is blocked by the preflight.
        c.w().owner().req().post(c.w().issues() + "/" + id + "/resume").then().statusCode(409)
                .body("detail", containsString("Resume marketing on the channel page first"));
        String other = draft(c, "Other");
        c.w().owner().req().post(c.w().issues() + "/" + other + "/send").then().statusCode(200);
        JsonPath blocked = cf.issue(c, other);
        assertEquals("BLOCKED", blocked.getString("status"));
        assertEquals("dispatch.blocked-marketing-paused", blocked.getString("blockedReason"));
        c.w().owner().req().post(c.w().issues() + "/" + other + "/cancel").then().statusCode(200);

        qualityWebhook(c, waba, "UNFLAGGED");
        c.w().owner().req().post(c.w().issues() + "/" + id + "/resume").then().statusCode(409);
        // The admin sees the pause on the dashboard, with the way to the channel page.
        given().auth().oauth2(c.w().owner().token()).accept("text/html").header("Accept-Language", "en")
                .get("/t/" + c.w().slug()).then().statusCode(200)
                .body(containsString("Marketing is paused on your WhatsApp number"))
                .body(containsString("href=\"/t/" + c.w().slug() + "/channel\""));
        c.w().owner().req().post("/api/tenants/" + c.w().slug() + "/channel/quality/acknowledge").then()
                .statusCode(200);
        c.w().owner().req().post(c.w().issues() + "/" + id + "/resume").then().statusCode(200);
        try (Dispatcher d = fx.dispatcher("flag-2", 2)) {
            assertEquals("DONE", fx.drain(d, c.w(), id));
        }
        assertEquals(3, cf.issue(c, id).getLong("counts.sent"));
    }

    @Test
    void theEstimateAndTheBillableCountsComeFromTheRateCardAndTheStatusWebhooksPricing() {
        Cloud c = cf.cloud("cost");
        acceptAll(c);
        List<String> readers = cf.readers(c, 3);
        String id = draft(c, "Cost");
        JsonPath before = cf.issue(c, id);
        assertEquals("MARKETING", before.getString("outlook.estimate.category"));
        assertEquals(3, before.getLong("outlook.estimate.recipients"));
        // Three German numbers at the card's German marketing rate (0.1365).
        assertEquals(new BigDecimal("0.41"), new BigDecimal(before.getString("outlook.estimate.total")));
        assertEquals("USD", before.getString("outlook.estimate.currency"));
        // The bundled card is an example, not Meta's prices: the page says so next to the estimate (EN, DE).
        given().auth().oauth2(c.w().owner().token()).accept("text/html").header("Accept-Language", "en")
                .get("/t/" + c.w().slug() + "/issues/" + id).then().statusCode(200)
                .body(containsString("These prices come from the example rate card bundled with Consentcast"))
                .body(containsString("(valid from 1 Oct 2026)"));
        given().auth().oauth2(c.w().owner().token()).accept("text/html").header("Accept-Language", "de")
                .get("/t/" + c.w().slug() + "/issues/" + id).then().statusCode(200)
                .body(containsString("Diese Preise stammen aus der mitgelieferten Beispiel-Preisliste (gültig ab 1. Okt"));

        c.w().owner().req().post(c.w().issues() + "/" + id + "/send").then().statusCode(200);
        try (Dispatcher d = fx.dispatcher("cost-1", 2)) {
            cf.settle(d, c, id);
        }
        List<Map<String, Object>> rows = cf.deliveries(c, id);
        // Meta's statuses with pricing: two billable marketing messages, one free (free entry point).
        for (int k = 0; k < rows.size(); k++) {
            Map<String, Object> row = rows.get(k);
            String wamid = (String) row.get("providerMessageId");
            String to = cf.calls(c).stream().filter(x -> wamid.equals(x.wamid())).findFirst().orElseThrow().to();
            String pricing = k < 2 ? "{\"billable\":true,\"pricing_model\":\"PMP\",\"category\":\"marketing\",\"type\":\"regular\"}"
                    : "{\"billable\":false,\"pricing_model\":\"PMP\",\"category\":\"marketing\",\"type\":\"free_entry_point\"}";
            cf.statusWebhook(c, wamid, "delivered", to, null, pricing);
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            inbox.processPending();
            JsonPath v = cf.issue(c, id);
            assertEquals(2, v.getLong("outlook.billing.billable"));
            assertEquals(1, v.getLong("outlook.billing.free"));
        });
        JsonPath v = cf.issue(c, id);
        assertEquals(new BigDecimal("0.27"), new BigDecimal(v.getString("outlook.billing.amount")));
        assertEquals(2, v.getLong("outlook.billing.byCategory.marketing"));
        given().auth().oauth2(c.w().owner().token()).accept("text/html").header("Accept-Language", "en")
                .get("/t/" + c.w().slug() + "/issues/" + id).then().statusCode(200)
                .body(containsString("Billed by WhatsApp so far: 2 messages, about 0.27 USD"));
        given().auth().oauth2(c.w().owner().token()).accept("text/html").header("Accept-Language", "de")
                .get("/t/" + c.w().slug()).then().statusCode(200)
                .body(containsString("2 berechnete Nachrichten"));
        assertEquals(3, readers.size());
    }

    /**
     * Issue 18 (performance round two): once the audience is materialised the issue page's poll keeps the estimate
     * per issue and computes the plan from counts; what a user sees still follows every send step and every reader
     * the gate excludes.
     */
    @Test
    void whileThePagePollsThePlanFollowsTheSendsAndTheEstimateTheExcludedReaders() {
        Cloud c = cf.cloud("poll");
        acceptAll(c);
        List<String> readers = cf.readers(c, 5);
        String waba = limit(c).getString("businessAccountId");
        Instant t0 = clock.instant();
        reachedElsewhere(waba, c.w().tenantId(), 1997, t0.minus(Duration.ofHours(1)), "busy");
        String id = draft(c, "Poll");
        JsonPath before = cf.issue(c, id);
        assertEquals(5, before.getLong("outlook.plan.recipients"));
        assertEquals(3, before.getLong("outlook.plan.goNow"));
        assertEquals(5, before.getLong("outlook.estimate.recipients"));
        assertEquals(new BigDecimal("0.68"), new BigDecimal(before.getString("outlook.estimate.total")));

        c.w().owner().req().post(c.w().issues() + "/" + id + "/send").then().statusCode(200);
        try (Dispatcher d = fx.dispatcher("poll-1", 4)) {
            d.runOnce();
            d.runOnce();
            for (int poll = 0; poll < 2; poll++) { // the second poll answers from what the first one kept
                JsonPath v = cf.issue(c, id);
                assertEquals(3, v.getLong("counts.sent"));
                assertEquals(2, v.getLong("outlook.plan.recipients"), "only the open rows are still to send");
                assertEquals(0, v.getLong("outlook.plan.alreadyInWindow"));
                assertEquals(0, v.getLong("outlook.plan.goNow"), "the limit is used up");
                assertEquals(2, v.getLong("outlook.plan.later"));
                assertEquals(5, v.getLong("outlook.estimate.recipients"));
                assertEquals(new BigDecimal("0.68"), new BigDecimal(v.getString("outlook.estimate.total")));
            }
            given().auth().oauth2(c.w().owner().token()).accept("text/html").header("Accept-Language", "en")
                    .get("/t/" + c.w().slug() + "/issues/" + id).then().statusCode(200)
                    .body(containsString("Estimated cost: 0.68 USD for 5"));

            // The two readers still waiting withdraw; when capacity returns the gate excludes them instead.
            cf.deliveries(c, id).stream().filter(r -> "PENDING".equals(r.get("state")))
                    .forEach(r -> fx.event(c.w(), java.util.UUID.fromString((String) r.get("subscriberId")),
                            io.consentcast.consent.ConsentEventType.WITHDRAWN, false));
            clock.advance(Duration.ofHours(23).plusMinutes(1));
            fx.advanceJobs(c.w());
            d.runOnce();
            d.runOnce();
            JsonPath done = cf.issue(c, id);
            assertEquals("DONE", done.getString("status"));
            assertEquals(3, done.getLong("counts.sent"));
            assertEquals(3, done.getLong("outlook.estimate.recipients"), "the excluded readers cost nothing");
            assertEquals(new BigDecimal("0.41"), new BigDecimal(done.getString("outlook.estimate.total")));
            given().auth().oauth2(c.w().owner().token()).accept("text/html").header("Accept-Language", "de")
                    .get("/t/" + c.w().slug() + "/issues/" + id).then().statusCode(200)
                    .body(containsString("Geschätzte Kosten: 0.41 USD für 3 Nachrichten"));
        }
        assertEquals(3, accepted(c));
        assertEquals(5, readers.size());
    }
}
