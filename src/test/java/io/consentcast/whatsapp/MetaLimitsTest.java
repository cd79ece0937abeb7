package io.consentcast.whatsapp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.consentcast.tenancy.TenancyService;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Forms;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Issue 17's foundations through the production paths: the portfolio's messaging limit read when the channel is
 * saved, refreshed, and updated by {@code business_capability_update}; template sends counted per portfolio; the
 * quality guard fed by {@code phone_number_quality_update} webhooks and Graph reads; the status webhooks' pricing;
 * the cost estimate by the rate card. Meta is WireMock ({@link GraphMock}); webhooks are signed like Meta's.
 */
@QuarkusTest
class MetaLimitsTest {

    @Inject
    TenantScope tenantScope;

    @Inject
    TenancyService tenancy;

    @Inject
    ChannelService channel;

    @Inject
    WebhookInbox inbox;

    @Inject
    NumberReadings readings;

    @Inject
    MessagingLimits limits;

    @Inject
    MarketingGuard guard;

    @Inject
    RecordedEvents events;

    @Inject
    EntityManager em;

    record Workspace(Api owner, String slug, String tenantId, String phoneNumberId, String wabaId) {
        String api(String path) {
            return "/api/tenants/" + slug + path;
        }
    }

    private Workspace cloudWorkspace() {
        Api owner = Api.newUser("limits");
        String slug = owner.createWorkspace("limits");
        String phone = WaTestSupport.graphId();
        String waba = WaTestSupport.graphId();
        WaTestSupport.cloudApi(owner, slug, phone, waba, "limits-token");
        return new Workspace(owner, slug, tenancy.findBySlug(slug).orElseThrow().id, phone, waba);
    }

    /** Meta's envelope of an account-level change (business_capability_update, phone_number_quality_update). */
    private static String accountChange(String wabaId, long time, String field, String value) {
        return """
                {"entry":[{"id":"%s","time":%d,"changes":[{"value":%s,"field":"%s"}]}],"object":"whatsapp_business_account"}
                """.formatted(wabaId, time, value, field);
    }

    private void deliver(String body, String marker) {
        given().header("X-Hub-Signature-256", WaTestSupport.sign(body)).contentType("application/json")
                .body(body.getBytes(StandardCharsets.UTF_8)).post("/webhooks/whatsapp").then().statusCode(200);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            inbox.processPending();
            assertEquals(0L, (long) tenantScope.platform(() -> em.createQuery(
                    "select count(e) from InboxEntry e where e.status = 'PENDING' and e.payload like :p", Long.class)
                    .setParameter("p", "%" + marker + "%").getSingleResult()));
        });
    }

    private void stubPhoneNumber(Workspace w, int status, String body) {
        GraphMock.server().stubFor(get(urlPathEqualTo("/v23.0/" + w.phoneNumberId()))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    private SendResult sendTemplate(Workspace w, String to) {
        ChannelService.Sender sender = tenantScope.call(w.tenantId(), channel::sender);
        return tenantScope.call(w.tenantId(), () -> QuarkusTransaction.suspendingExisting().call(() -> sender.send(
                new OutgoingMessage.Template(to, "morning_briefing", "de", List.of("Montag"), List.of()))));
    }

    @Test
    void theLimitIsReadFromTheNewFieldWhenTheChannelIsSavedAndShownOnThePage() {
        Workspace w = cloudWorkspace();
        // phone-number.json carries both fields: the deprecated messaging_limit_tier (TIER_1K) is not read.
        GraphMock.server().verify(com.github.tomakehurst.wiremock.client.WireMock
                .getRequestedFor(urlPathEqualTo("/v23.0/" + w.phoneNumberId()))
                .withQueryParam("fields", com.github.tomakehurst.wiremock.client.WireMock
                        .matching(".*whatsapp_business_manager_messaging_limit.*"))
                .withQueryParam("fields", com.github.tomakehurst.wiremock.client.WireMock
                        .notMatching(".*messaging_limit_tier.*")));
        w.owner().req().get(w.api("/channel/messaging-limit")).then().statusCode(200)
                .body("businessAccountId", equalTo(w.wabaId())).body("tier", equalTo("TIER_2K"))
                .body("limit", equalTo(2000)).body("source", equalTo("GRAPH")).body("readAt", notNullValue())
                .body("reachedInWindow", equalTo(0)).body("remaining", equalTo(2000))
                .body("nextCapacityAt", nullValue());
        given().auth().oauth2(w.owner().token()).accept("text/html").header("Accept-Language", "en")
                .get("/t/" + w.slug() + "/channel").then().statusCode(200)
                .body(containsString("2000 people per 24 hours")).body(containsString("read from Meta"));
        given().auth().oauth2(w.owner().token()).accept("text/html").header("Accept-Language", "de")
                .get("/t/" + w.slug() + "/channel").then().statusCode(200)
                .body(containsString("2000 Personen pro 24 Stunden")).body(containsString("von Meta gelesen"));
    }

    @Test
    void aBusinessCapabilityWebhookChangesThePortfoliosLimit() {
        Workspace w = cloudWorkspace();
        // Meta's business_capability_update reference: max_daily_conversations_per_business, -1 = unlimited.
        deliver(accountChange(w.wabaId(), 1764338400, "business_capability_update", """
                {"max_daily_conversation_per_phone":10000,"max_daily_conversations_per_business":10000,
                 "max_phone_numbers_per_business":2,"max_phone_numbers_per_waba":2}"""), w.wabaId());
        w.owner().req().get(w.api("/channel/messaging-limit")).then().statusCode(200)
                .body("tier", equalTo("TIER_10K")).body("limit", equalTo(10000)).body("source", equalTo("WEBHOOK"));

        deliver(accountChange(w.wabaId(), 1764338500, "business_capability_update",
                "{\"max_daily_conversations_per_business\":-1}"), w.wabaId());
        w.owner().req().get(w.api("/channel/messaging-limit")).then().statusCode(200)
                .body("tier", equalTo("TIER_UNLIMITED")).body("limit", nullValue()).body("remaining", nullValue());

        String unknown = WaTestSupport.graphId();
        deliver(accountChange(unknown, 1764338500, "business_capability_update",
                "{\"max_daily_conversations_per_business\":2000}"), unknown);
        assertEquals(0L, (long) tenantScope.platform(() -> em.createQuery(
                "select count(l) from PortfolioLimit l where l.businessAccountId = :w", Long.class)
                .setParameter("w", unknown).getSingleResult()), "an account no workspace connected is not stored");
    }

    @Test
    void theRefreshKeepsTheLastLimitWhenMetaCannotBeReadAndSaysSo() {
        Workspace w = cloudWorkspace();
        stubPhoneNumber(w, 500, "{\"error\":{\"message\":\"An unexpected error occurred\",\"type\":\"OAuthException\","
                + "\"code\":2,\"is_transient\":true}}");
        readings.refreshAll();
        w.owner().req().get(w.api("/channel/messaging-limit")).then().statusCode(200)
                .body("tier", equalTo("TIER_2K")).body("source", equalTo("GRAPH"))
                .body("lastAttemptAt", notNullValue()).body("lastError", containsString("code 2"));

        stubPhoneNumber(w, 200, GraphMock.phoneNumber(w.phoneNumberId())
                .replace("\"TIER_2K\"", "\"TIER_100K\""));
        readings.refreshAll();
        w.owner().req().get(w.api("/channel/messaging-limit")).then().statusCode(200)
                .body("tier", equalTo("TIER_100K")).body("lastAttemptAt", nullValue()).body("lastError", nullValue());
    }

    @Test
    void acceptedTemplateSendsCountUniqueRecipientsOfThePortfolioInTheMovingWindow() {
        Workspace w = cloudWorkspace();
        GraphMock.server().stubFor(post(urlEqualTo("/v23.0/" + w.phoneNumberId() + "/messages"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(CloudApiChannelTest.fixture("send-ok.json"))));
        Instant before = Instant.now();
        for (String to : List.of("4915110000001", "4915110000002", "4915110000001", "447700900001")) {
            assertTrue(sendTemplate(w, to).accepted());
        }
        // A free-form reply is not business-initiated: not counted.
        ChannelService.Sender sender = tenantScope.call(w.tenantId(), channel::sender);
        tenantScope.call(w.tenantId(), () -> QuarkusTransaction.suspendingExisting()
                .call(() -> sender.send(new OutgoingMessage.Text("4915110000009", "Danke!"))));

        w.owner().req().get(w.api("/channel/messaging-limit")).then().statusCode(200)
                .body("reachedInWindow", equalTo(3)).body("remaining", equalTo(1997));
        Instant now = Instant.now();
        tenantScope.run(w.tenantId(), () -> {
            assertEquals(1997L, limits.remaining(now));
            assertEquals(now, limits.nextCapacityAt(now), "room now");
            // 2000 new recipients fit once all three reached have left: 24 h after the last send to each.
            Instant all = limits.capacityAt(now, 2000);
            assertTrue(!all.isBefore(before.plus(Duration.ofHours(24))) && all.isBefore(now.plus(Duration.ofHours(24))),
                    all.toString());
            assertEquals(null, limits.capacityAt(now, 2001), "more than the whole limit never fits");
        });
    }

    @Test
    void aFlaggedQualityWebhookPausesMarketingUntilAnAdminResumesItAfterTheCauseIsGone() {
        Workspace w = cloudWorkspace();
        w.owner().req().get(w.api("/channel/quality")).then().statusCode(200)
                .body("qualityRating", equalTo("GREEN")).body("numberStatus", equalTo("CONNECTED"))
                .body("marketing.allowed", equalTo(true));
        // Meta's phone_number_quality_update: the number only by its display number (GraphMock.DISPLAY_NUMBER).
        deliver(accountChange(w.wabaId(), Instant.now().getEpochSecond(), "phone_number_quality_update", """
                {"display_phone_number":"49301234567","event":"FLAGGED","current_limit":"TIER_2K",
                 "max_daily_conversations_per_business":"TIER_2K"}"""), w.wabaId());

        w.owner().req().get(w.api("/channel/quality")).then().statusCode(200)
                .body("marketing.allowed", equalTo(false)).body("marketing.reason", equalTo("NUMBER_FLAGGED"))
                .body("marketing.causeGone", equalTo(false)).body("flagged", equalTo(true))
                .body("history.event", hasItem("FLAGGED"));
        assertFalse(tenantScope.call(w.tenantId(), () -> guard.marketing(w.phoneNumberId())).allowed());
        List<MarketingGuardChanged> changed = events.guard(w.tenantId());
        assertEquals(1, changed.size());
        assertEquals(MarketingGuard.PauseReason.NUMBER_FLAGGED, changed.get(0).reason());
        assertFalse(changed.get(0).allowed());
        given().auth().oauth2(w.owner().token()).accept("text/html").header("Accept-Language", "de")
                .get("/t/" + w.slug() + "/channel").then().statusCode(200)
                .body(containsString("Marketingnachrichten über diese Nummer sind pausiert"))
                .body(containsString("Meta hat die Nummer markiert"));

        w.owner().req().post(w.api("/channel/quality/acknowledge")).then().statusCode(409);

        deliver(accountChange(w.wabaId(), Instant.now().getEpochSecond() + 1, "phone_number_quality_update", """
                {"display_phone_number":"49301234567","event":"UNFLAGGED","current_limit":"TIER_2K"}"""), w.wabaId());
        w.owner().req().get(w.api("/channel/quality")).then().statusCode(200)
                .body("marketing.allowed", equalTo(false)).body("marketing.causeGone", equalTo(true));
        assertEquals(1, events.guard(w.tenantId()).size(), "resuming is a deliberate act, not the webhook's");

        Response page = given().auth().oauth2(w.owner().token()).accept("text/html").header("Accept-Language", "en")
                .get("/t/" + w.slug() + "/channel");
        page.then().statusCode(200).body(containsString("Resume marketing"));
        given().auth().oauth2(w.owner().token()).accept("text/html").header("Accept-Language", "en")
                .cookie("csrf-token", page.getCookie("csrf-token")).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", Forms.csrfToken(page.asString()))
                .post("/t/" + w.slug() + "/channel/quality/acknowledge").then().statusCode(200)
                .body(containsString("Marketing messages may be sent on this number."));
        w.owner().req().get(w.api("/channel/quality")).then().statusCode(200)
                .body("marketing.allowed", equalTo(true)).body("acknowledgedBy", notNullValue())
                .body("acknowledgedAt", notNullValue());
        assertTrue(events.guard(w.tenantId()).get(1).allowed());
    }

    @Test
    void aRedRatingReadFromMetaPausesMarketing() {
        Workspace w = cloudWorkspace();
        stubPhoneNumber(w, 200, GraphMock.phoneNumber(w.phoneNumberId()).replace("\"GREEN\"", "\"RED\""));
        readings.refreshAll();
        MarketingGuard.MarketingDecision d = tenantScope.call(w.tenantId(), () -> guard.marketing(w.phoneNumberId()));
        assertFalse(d.allowed());
        assertEquals(MarketingGuard.PauseReason.QUALITY_RED, d.reason());
        assertNotNull(d.pausedSince());
        w.owner().req().get(w.api("/channel/quality")).then().statusCode(200).body("qualityRating", equalTo("RED"))
                .body("history.source", hasItem("GRAPH"));
        w.owner().req().post(w.api("/channel/quality/acknowledge")).then().statusCode(409);

        stubPhoneNumber(w, 200, GraphMock.phoneNumber(w.phoneNumberId()).replace("\"CONNECTED\"", "\"RESTRICTED\""));
        readings.refreshAll();
        w.owner().req().get(w.api("/channel/quality")).then().statusCode(200)
                .body("marketing.allowed", equalTo(false)).body("marketing.causeGone", equalTo(false));
    }

    @Test
    void theStatusWebhooksPricingIsStoredAndHandedOver() {
        Workspace w = cloudWorkspace();
        String wamid = "wamid.price." + UUID.randomUUID();
        // Meta's status messages webhook reference under per-message pricing.
        String body = """
                {"object":"whatsapp_business_account","entry":[{"id":"%s","changes":[{"value":{
                 "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"%s"},
                 "statuses":[{"id":"%s","status":"delivered","timestamp":"1750263773","recipient_id":"16505551234",
                  "pricing":{"billable":true,"pricing_model":"PMP","category":"marketing","type":"regular"}}]},
                 "field":"messages"}]}]}""".formatted(w.wabaId(), w.phoneNumberId(), wamid);
        deliver(body, wamid);

        MessageStatusUpdate update = events.statuses(w.tenantId()).stream()
                .filter(u -> wamid.equals(u.providerMessageId())).findFirst().orElseThrow();
        assertEquals(new MessagePricing(true, "marketing", "PMP", "regular"), update.pricing());
        WhatsAppMessage stored = tenantScope.call(w.tenantId(), () -> em
                .createQuery("from WhatsAppMessage where providerMessageId = :id", WhatsAppMessage.class)
                .setParameter("id", wamid).getSingleResult());
        assertEquals(new MessagePricing(true, "marketing", "PMP", "regular"), stored.pricing());
    }

    @Test
    void anEstimateForMixedMarketsUsesTheRateCard() {
        Workspace w = cloudWorkspace();
        w.owner().req().body(Map.of("category", "marketing", "phoneNumbers", List.of("+4915112345678",
                "+49 170 0000001", "+447700900123", "+12125550100", "not a number")))
                .post(w.api("/cost-estimates")).then().statusCode(200)
                .body("category", equalTo("MARKETING")).body("currency", equalTo("USD"))
                .body("recipients", equalTo(4)).body("unrecognised", equalTo(1))
                // Germany 2 x 0.1365 + United Kingdom 0.0529 + North America 0.0250 (the bundled example card)
                .body("total", equalTo(0.35f)).body("markets[0].market", equalTo("Germany"))
                .body("markets[0].recipients", equalTo(2)).body("markets[0].cost", equalTo(0.273f))
                .body("markets.market", hasItem("United Kingdom")).body("markets.market", hasItem("North America"))
                .body("validFrom", equalTo("2026-10-01")).body("rateCardSource", containsString("EXAMPLE"));
        w.owner().req().body(Map.of("category", "utility", "phoneNumbers", List.of("+4915112345678")))
                .post(w.api("/cost-estimates")).then().statusCode(200).body("total", equalTo(0.06f));
        w.owner().req().body(Map.of("category", "promotion", "phoneNumbers", List.of("+4915112345678")))
                .post(w.api("/cost-estimates")).then().statusCode(400);
    }

    @Test
    void theSandboxPlaysALimitAndAQualityRating() {
        Api owner = Api.newUser("sbx-limits");
        String slug = owner.createWorkspace("sbx-limits");
        owner.req().get("/api/tenants/" + slug + "/channel/messaging-limit").then().statusCode(200)
                .body("tier", equalTo("TIER_250")).body("source", equalTo("SANDBOX")).body("remaining", equalTo(250));
        owner.req().get("/api/tenants/" + slug + "/channel/quality").then().statusCode(200)
                .body("qualityRating", equalTo("GREEN")).body("marketing.allowed", equalTo(true));
        given().auth().oauth2(owner.token()).accept("text/html").header("Accept-Language", "en")
                .get("/t/" + slug + "/channel").then().statusCode(200)
                .body(containsString("250 people per 24 hours")).body(containsString("played by the sandbox"));

        // The sandbox phone plays Meta's quality report: marketing pauses until an admin resumes it.
        for (String event : List.of("FLAGGED", "UNFLAGGED")) {
            Response phone = given().auth().oauth2(owner.token()).accept("text/html").header("Accept-Language", "en")
                    .get("/t/" + slug + "/sandbox");
            phone.then().statusCode(200).body(containsString("id=\"sandbox-quality\""));
            given().auth().oauth2(owner.token()).accept("text/html").header("Accept-Language", "en")
                    .cookie("csrf-token", phone.getCookie("csrf-token")).contentType("application/x-www-form-urlencoded")
                    .formParam("csrf-token", Forms.csrfToken(phone.asString())).formParam("event", event).redirects()
                    .follow(false).post("/t/" + slug + "/sandbox/quality").then().statusCode(303);
            owner.req().get("/api/tenants/" + slug + "/channel/quality").then().statusCode(200)
                    .body("marketing.allowed", equalTo(false)).body("marketing.reason", equalTo("NUMBER_FLAGGED"))
                    .body("marketing.causeGone", equalTo(event.equals("UNFLAGGED")))
                    .body("history.source", hasItem("SANDBOX"));
        }
        owner.req().post("/api/tenants/" + slug + "/channel/quality/acknowledge").then().statusCode(200)
                .body("allowed", equalTo(true));
    }
}
