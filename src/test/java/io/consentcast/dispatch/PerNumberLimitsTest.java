package io.consentcast.dispatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentcast.consent.ConsentEventType;
import io.consentcast.consent.ConsentService;
import io.consentcast.consent.EventSource;
import io.consentcast.consent.NewEvent;
import io.consentcast.dispatch.CloudFixture.Cloud;
import io.consentcast.shared.SqlValues;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.testsupport.Forms;
import io.consentcast.testsupport.Tokens;
import io.consentcast.whatsapp.GraphMock;
import io.consentcast.whatsapp.WebhookInbox;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Issue 17, Meta's limits per sending number, through the production paths (API, pages, signed webhooks, the engine
 * against the Graph WireMock, whose journal tells what left from which number): a quality webhook for number B pauses
 * only the marketing issues sending from B while number A's issue goes on; preflight, resume and the dashboard speak
 * of B; the gate holds an issue that started before the pause was seen; portfolios have separate limits and numbers
 * of one portfolio share one; a send Meta refused gives its place in the window back.
 */
@QuarkusTest
class PerNumberLimitsTest {

    private static final String DISPLAY_B = "+49 89 7654321";

    @Inject
    DispatchFixture fx;

    @Inject
    CloudFixture cf;

    @Inject
    TenantScope scope;

    @Inject
    ConsentService consent;

    @Inject
    WebhookInbox inbox;

    @Inject
    EntityManager em;

    private final ObjectMapper json = new ObjectMapper();

    /** A Cloud API workspace with number A (default, list "morgen") and number B of the same account (list "abend"). */
    private record TwoNumbers(Cloud c, String a, String b, String waba, UUID abendId, UUID abendText) {
        String base() {
            return "/api/tenants/" + c.w().slug();
        }
    }

    private TwoNumbers twoNumbers(String prefix) {
        Cloud c = cf.cloud(prefix);
        String waba = c.w().owner().req().get("/api/tenants/" + c.w().slug() + "/channel").then().statusCode(200)
                .extract().path("businessAccountId");
        String b = DispatchEngineTest.graphId();
        GraphMock.ownedNumber(b, waba, "tok-" + prefix, DISPLAY_B);
        c.w().owner().req().body(Map.of("phoneNumberId", b)).post("/api/tenants/" + c.w().slug() + "/channel/numbers")
                .then().statusCode(201);
        UUID[] abend = list(c, "abend", "ABEND", b);
        acceptAll(c.phoneNumberId());
        acceptAll(b);
        return new TwoNumbers(c, c.phoneNumberId(), b, waba, abend[0], abend[1]);
    }

    /** A second MARKETING list of the workspace (on {@code number}, or the default when null): its id and consent text. */
    private static UUID[] list(Cloud c, String slug, String keyword, String number) {
        Map<String, Object> body = Fixtures.germanList(slug, keyword);
        body.put("name", "Abendausgabe");
        if (number != null) {
            body.put("sendingNumber", number);
        }
        var created = c.w().owner().req().body(body).post("/api/tenants/" + c.w().slug() + "/lists").then()
                .statusCode(201).extract();
        return new UUID[] {UUID.fromString(created.path("id")), UUID.fromString(created.path("consentTextId"))};
    }

    private static void acceptAll(String phoneNumberId) {
        GraphMock.server().stubFor(post(urlEqualTo(messages(phoneNumberId))).atPriority(5).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"x\",\"wa_id\":\"x\"}],"
                        + "\"messages\":[{\"id\":\"wamid.{{randomValue length=24 type='ALPHANUMERIC'}}\"}]}")
                .withTransformers("response-template")));
    }

    private static String messages(String phoneNumberId) {
        return "/v23.0/" + phoneNumberId + "/messages";
    }

    /** The recipients of every message Meta received from {@code phoneNumberId}, from WireMock's journal. */
    private List<String> recipients(String phoneNumberId) {
        return GraphMock.server().findAll(postRequestedFor(urlEqualTo(messages(phoneNumberId)))).stream().map(r -> {
            try {
                return json.readTree(r.getBodyAsString()).path("to").asText();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /** A reader CONFIRMED for the list {@code listId}; returns their WhatsApp id (digits). */
    private String confirmedOn(Cloud c, UUID listId, UUID consentText) {
        String phone = DispatchFixture.number();
        scope.run(c.w().tenantId(), () -> {
            UUID id = consent.subscriberFor(phone).id();
            consent.append(NewEvent.of(id, ConsentEventType.CONFIRMED, EventSource.WHATSAPP).forList(listId)
                    .withConsentText(consentText).withWhatsApp("wamid.in." + UUID.randomUUID(), Instant.now()));
        });
        return phone.substring(1);
    }

    private static String issue(Cloud c, String list, String title) {
        return c.w().owner().req().body(Map.of("list", list, "title", title, "template",
                Map.of("name", "morning_briefing", "language", "de", "parameters", List.of(title))))
                .post(c.w().issues()).then().statusCode(201).extract().path("id");
    }

    private static void send(Cloud c, String id) {
        c.w().owner().req().post(c.w().issues() + "/" + id + "/send").then().statusCode(200);
    }

    /** Meta's signed {@code phone_number_quality_update} for the account's number with these display digits. */
    private void qualityWebhook(String waba, String displayDigits, String event) {
        cf.signedWebhook("""
                {"entry":[{"id":"%s","time":%d,"changes":[{"value":{"display_phone_number":"%s",
                 "event":"%s","current_limit":"TIER_2K"},"field":"phone_number_quality_update"}]}],
                 "object":"whatsapp_business_account"}""".formatted(waba, Instant.now().getEpochSecond(),
                displayDigits, event));
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            inbox.processPending();
            assertEquals(0L, (long) scope.platform(() -> em.createQuery(
                    "select count(e) from InboxEntry e where e.status = 'PENDING' and e.payload like :p", Long.class)
                    .setParameter("p", "%" + waba + "%").getSingleResult()));
        });
    }

    @Test
    void aFlaggedNumberBPausesOnlyBsMarketingIssueWhileAsIssueKeepsSendingAndResumingIsPerNumber() {
        TwoNumbers t = twoNumbers("guardab");
        Cloud c = t.c();
        List<String> morning = cf.readers(c, 2);
        String evening = confirmedOn(c, t.abendId(), t.abendText());
        String onA = issue(c, "morgen", "Morgen");
        String onB = issue(c, "abend", "Abend");
        send(c, onA);
        send(c, onB);

        qualityWebhook(t.waba(), DISPLAY_B.replaceAll("[^0-9]", ""), "FLAGGED");
        JsonPath b = cf.issue(c, onB);
        assertEquals("PAUSED", b.getString("status"), "B's marketing issue is paused");
        assertEquals("dispatch.paused-number-flagged", b.getString("pausedReason"));
        assertTrue(b.getString("pausedMessage").contains("WhatsApp flagged the number"));
        given().auth().oauth2(c.w().owner().token()).accept("text/html").header("Accept-Language", "de")
                .get("/t/" + c.w().slug() + "/issues/" + onB).then().statusCode(200)
                .body(containsString("WhatsApp hat die Nummer markiert"));
        String a = cf.issue(c, onA).getString("status");
        assertTrue("PREPARING".equals(a) || "SENDING".equals(a), "A's issue is not touched: " + a);

        try (Dispatcher d = fx.dispatcher("guardab-1", 4)) {
            assertEquals(2, cf.settle(d, c, onA).getLong("counts.sent"));
            d.runOnce();
        }
        assertEquals(Set.copyOf(morning), Set.copyOf(recipients(t.a())), "A's issue went on, from A");
        assertEquals(List.of(), recipients(t.b()), "nothing left from the flagged number B");
        assertEquals("PAUSED", cf.issue(c, onB).getString("status"));

        // Preflight for B: a new marketing issue on B is BLOCKED with the reason, its draft warns naming B; A's is not.
        String draftB = issue(c, "abend", "Noch eine");
        assertTrue(cf.issue(c, draftB).getString("outlook.warnings[0].message")
                .contains("Marketing is paused on the sending number " + DISPLAY_B));
        given().auth().oauth2(c.w().owner().token()).accept("text/html").header("Accept-Language", "de")
                .get("/t/" + c.w().slug() + "/issues/" + draftB).then().statusCode(200)
                .body(containsString("Marketing ist über die Absendernummer " + DISPLAY_B + " pausiert"));
        send(c, draftB);
        assertEquals("dispatch.blocked-marketing-paused", cf.issue(c, draftB).getString("blockedReason"));
        c.w().owner().req().post(c.w().issues() + "/" + draftB + "/cancel").then().statusCode(200);
        String draftA = issue(c, "morgen", "Noch eine A");
        assertTrue(cf.issue(c, draftA).getList("outlook.warnings").isEmpty(), "A's state is not B's");

        // The dashboard names B, and leads to the numbers page; the default number's quality card is not paused.
        given().auth().oauth2(c.w().owner().token()).accept("text/html").header("Accept-Language", "en")
                .get("/t/" + c.w().slug()).then().statusCode(200)
                .body(containsString("Marketing is paused on your WhatsApp number " + DISPLAY_B))
                .body(containsString("href=\"/t/" + c.w().slug() + "/channel/numbers\""));
        c.w().owner().req().get(t.base() + "/channel/quality").then().statusCode(200)
                .body("marketing.allowed", equalTo(true));
        c.w().owner().req().get(t.base() + "/channel/numbers").then().statusCode(200)
                .body("find { it.phoneNumberId == '" + t.b() + "' }.marketingAllowed", equalTo(false))
                .body("find { it.phoneNumberId == '" + t.b() + "' }.marketingPause", equalTo("NUMBER_FLAGGED"))
                .body("find { it.phoneNumberId == '" + t.a() + "' }.marketingAllowed", equalTo(true));

        // Resuming is deliberate, per number: refused while B is flagged (API and the German page), then allowed.
        c.w().owner().req().post(c.w().issues() + "/" + onB + "/resume").then().statusCode(409);
        c.w().owner().req().post(t.base() + "/channel/numbers/" + t.b() + "/quality/acknowledge").then()
                .statusCode(409);
        Response page = given().auth().oauth2(c.w().owner().token()).header("Accept-Language", "de")
                .accept("text/html").get("/t/" + c.w().slug() + "/channel/numbers");
        page.then().statusCode(200).body(containsString("Marketing pausiert")).body(containsString("Nummer markiert"));
        String csrf = Forms.csrfToken(page.asString());
        String cookie = page.getCookie("csrf-token");
        given().auth().oauth2(c.w().owner().token()).header("Accept-Language", "de").cookie("csrf-token", cookie)
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", csrf)
                .post("/t/" + c.w().slug() + "/channel/numbers/" + t.b() + "/resume-marketing").then().statusCode(409);
        c.w().owner().req().post(t.base() + "/channel/numbers/999/quality/acknowledge").then().statusCode(404);

        qualityWebhook(t.waba(), DISPLAY_B.replaceAll("[^0-9]", ""), "UNFLAGGED");
        c.w().owner().req().post(c.w().issues() + "/" + onB + "/resume").then().statusCode(409);
        given().auth().oauth2(c.w().owner().token()).header("Accept-Language", "de").cookie("csrf-token", cookie)
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", csrf)
                .post("/t/" + c.w().slug() + "/channel/numbers/" + t.b() + "/resume-marketing").then().statusCode(200)
                .body(containsString("Marketing über diese Nummer wurde fortgesetzt"));
        // The resume is a member's change: the activity log names who resumed which number.
        c.w().owner().req().queryParam("kind", "channel.marketing-resumed").get(t.base() + "/activity").then()
                .statusCode(200).body("size()", equalTo(1))
                .body("[0].actorEmail", equalTo(c.w().owner().email()))
                .body("[0].detail", containsString(t.b()));
        given().auth().oauth2(c.w().owner().token()).accept("text/html").header("Accept-Language", "en")
                .get("/t/" + c.w().slug()).then().statusCode(200)
                .body(not(containsString("Marketing is paused on your WhatsApp number")));
        c.w().owner().req().post(c.w().issues() + "/" + onB + "/resume").then().statusCode(200);
        try (Dispatcher d = fx.dispatcher("guardab-2", 4)) {
            assertEquals("DONE", fx.drain(d, c.w(), onB));
        }
        assertEquals(List.of(evening), recipients(t.b()), "after the resume B's reader got the issue, from B");
    }

    @Test
    void anIssueStartedBeforeThePauseWasSeenSendsNothingMoreOnThePausedNumber() {
        TwoNumbers t = twoNumbers("guardgate");
        Cloud c = t.c();
        confirmedOn(c, t.abendId(), t.abendText());
        confirmedOn(c, t.abendId(), t.abendText());
        String onB = issue(c, "abend", "Abend");
        send(c, onB);
        // The pause of B was committed by a transaction that did not see this issue sending (a quality webhook racing
        // the start): the number's state says paused, but the issue was not paused by QualityPauses.
        scope.run(c.w().tenantId(), () -> em.createNativeQuery("insert into whatsapp_number_quality (id, tenant_id,"
                + " phone_number_id, quality_rating, flagged, last_event, updated_at, paused_at, pause_reason)"
                + " values (?1, ?2, ?3, 'RED', false, 'DOWNGRADE', ?4, ?4, 'QUALITY_RED')"
                + " on conflict (tenant_id, phone_number_id) do update set quality_rating = 'RED',"
                + " last_event = 'DOWNGRADE', updated_at = ?4, paused_at = ?4, pause_reason = 'QUALITY_RED'")
                .setParameter(1, UUID.randomUUID()).setParameter(2, c.w().tenantId()).setParameter(3, t.b())
                .setParameter(4, SqlValues.ts(Instant.now())).executeUpdate());
        try (Dispatcher d = fx.dispatcher("guardgate", 4)) {
            fx.drain(d, c.w(), onB);
        }
        assertEquals(List.of(), recipients(t.b()), "the gate sent nothing on the paused number");
        JsonPath v = cf.issue(c, onB);
        assertEquals("PAUSED", v.getString("status"));
        assertEquals("dispatch.paused-quality-red", v.getString("pausedReason"));
        assertEquals(0, v.getLong("counts.sent"));
    }

    /** Another workspace whose channel is a number of the account {@code waba} (the same business portfolio). */
    private Cloud onAccount(String prefix, String waba) {
        DispatchFixture.Workspace w = fx.workspace(prefix);
        String phone = DispatchEngineTest.graphId();
        GraphMock.ownedNumber(phone, waba, "tok-" + prefix);
        w.owner().req().body(Map.of("type", "cloud-api", "phoneNumberId", phone, "businessAccountId", waba,
                "displayPhoneNumber", "+49 30 7777777", "accessToken", "tok-" + prefix))
                .put("/api/tenants/" + w.slug() + "/channel").then().statusCode(200);
        GraphMock.server().stubFor(get(urlPathEqualTo("/v23.0/" + waba + "/message_templates"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(DispatchEngineTest.fixture("templates.json"))));
        w.owner().req().post("/api/tenants/" + w.slug() + "/templates/sync").then().statusCode(200);
        Cloud c = new Cloud(w, phone);
        acceptAll(phone);
        return c;
    }

    /** Others the portfolio reached an hour ago (other workspaces, other numbers): {@code n} of them. */
    private void reachedElsewhere(String waba, String tenantId, int n) {
        scope.platform(() -> em.createNativeQuery("insert into whatsapp_portfolio_sends (business_account_id,"
                + " tenant_id, phone_number_id, recipient, sent_at) select ?1, ?2, 'elsewhere', 'x' || g, ?3"
                + " from generate_series(1, ?4) g").setParameter(1, waba).setParameter(2, tenantId)
                .setParameter(3, SqlValues.ts(Instant.now().minus(Duration.ofHours(1)))).setParameter(4, n)
                .executeUpdate());
    }

    /** The same workspace with a newly signed token for its owner (a slow machine can outlast a token's 5 minutes). */
    private static Cloud fresh(Cloud c) {
        Api o = c.w().owner();
        DispatchFixture.Workspace w = c.w();
        return new Cloud(new DispatchFixture.Workspace(new Api(o.subject(), o.email(), Tokens.of(o.subject(),
                o.email())), w.slug(), w.tenantId(), w.listId(), w.consentTextId(), w.list()), c.phoneNumberId());
    }

    private static String waba(Cloud c) {
        return c.w().owner().req().get("/api/tenants/" + c.w().slug() + "/channel/messaging-limit").then()
                .statusCode(200).extract().path("businessAccountId");
    }

    @Test
    void portfoliosHaveSeparateLimitsAndNumbersOfOnePortfolioShareOne() {
        TwoNumbers t = twoNumbers("portx");
        Cloud x = t.c();
        int max = x.w().owner().req().get(t.base() + "/channel/messaging-limit").then().statusCode(200).extract()
                .path("limit");
        reachedElsewhere(t.waba(), x.w().tenantId(), max - 1);
        // Number B of the same portfolio: its list's plan counts the portfolio's window, one place left for 2 readers.
        confirmedOn(x, t.abendId(), t.abendText());
        confirmedOn(x, t.abendId(), t.abendText());
        String onB = issue(x, "abend", "Abend");
        JsonPath plan = cf.issue(x, onB);
        assertEquals(1, plan.getLong("outlook.plan.goNow"));
        assertEquals(1, plan.getLong("outlook.plan.later"));
        x = fresh(x);
        send(x, onB);
        try (Dispatcher d = fx.dispatcher("portfolios-1", 4)) {
            JsonPath v = cf.issue(x, onB);
            for (int k = 0; k < 20 && (v.getLong("counts.sent") + v.getLong("counts.awaiting") < 1
                    || v.getLong("outlook.plan.waiting") < 1); k++) {
                d.runOnce();
                v = cf.issue(x, onB);
            }
            assertEquals(1, v.getLong("counts.sent"), "the portfolio's last place, from B");
            assertEquals(1, v.getLong("outlook.plan.waiting"), "the other reader waits for the portfolio's limit");
        }
        assertEquals(1, recipients(t.b()).size());

        // Another workspace on a number of the same account shares the portfolio; a third on another account does not.
        Cloud same = onAccount("porty", t.waba());
        cf.readers(same, 2);
        Cloud other = cf.cloud("portz");
        acceptAll(other.phoneNumberId());
        List<String> otherReaders = cf.readers(other, 2);
        assertTrue(!t.waba().equals(waba(other)));
        String sameIssue = issue(same, "morgen", "Gleich");
        assertEquals(0, cf.issue(same, sameIssue).getLong("outlook.plan.goNow"), "no place left in the portfolio");
        String otherIssue = issue(other, "morgen", "Anders");
        assertEquals(2, cf.issue(other, otherIssue).getLong("outlook.plan.goNow"), "another portfolio's own limit");
        same = fresh(same);
        other = fresh(other);
        send(same, sameIssue);
        send(other, otherIssue);
        try (Dispatcher d = fx.dispatcher("portfolios-2", 4)) {
            assertEquals(2, cf.settle(d, other, otherIssue).getLong("counts.sent"), "another portfolio has its own");
            for (int k = 0; k < 3; k++) {
                d.runOnce();
            }
            JsonPath s = cf.issue(same, sameIssue);
            assertEquals(0, s.getLong("counts.sent"), "the same portfolio has no place left");
            assertEquals(2, s.getLong("counts.pending"));
        }
        assertEquals(List.of(), recipients(same.phoneNumberId()));
        assertEquals(Set.copyOf(otherReaders), Set.copyOf(recipients(other.phoneNumberId())));
    }

    @Test
    void aSendMetaRefusedGivesItsPlaceBackSoALaterIssueReachesAnotherReader() {
        Cloud c = cf.cloud("refused");
        acceptAll(c.phoneNumberId());
        String waba = waba(c);
        int max = c.w().owner().req().get("/api/tenants/" + c.w().slug() + "/channel/messaging-limit").then()
                .extract().path("limit");
        reachedElsewhere(waba, c.w().tenantId(), max - 1); // room for exactly one new reader
        String gone = cf.readers(c, 1).get(0);
        // Meta refuses this reader: 131026, not on WhatsApp (undeliverable). Never accepted.
        GraphMock.server().stubFor(post(urlEqualTo(messages(c.phoneNumberId()))).atPriority(1)
                .withRequestBody(matchingJsonPath("$.to", com.github.tomakehurst.wiremock.client.WireMock.equalTo(gone)))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"Message Undeliverable.\",\"type\":\"OAuthException\","
                                + "\"code\":131026,\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":"
                                + "\"Message Undeliverable.\"},\"fbtrace_id\":\"AbC\"}}")));
        String first = cf.sendIssue(c, "Erste");
        try (Dispatcher d = fx.dispatcher("refused-1", 2)) {
            cf.settle(d, c, first);
        }
        List<Map<String, Object>> rows = cf.deliveries(c, first);
        assertEquals("FAILED", rows.get(0).get("state"));
        assertEquals("meta-131026", rows.get(0).get("reason"));
        assertEquals(1L, c.w().owner().req().get("/api/tenants/" + c.w().slug() + "/channel/messaging-limit")
                .then().extract().jsonPath().getLong("remaining"), "the refused send gave its place back");

        // A reader of another list gets the next issue now: the place the refused send had reserved.
        UUID[] abend = list(c, "abend", "ABEND", null);
        String reader = confirmedOn(c, abend[0], abend[1]);
        String second = issue(c, "abend", "Zweite");
        assertEquals(1, cf.issue(c, second).getLong("outlook.plan.goNow"));
        send(c, second);
        try (Dispatcher d = fx.dispatcher("refused-2", 2)) {
            assertEquals(1, cf.settle(d, c, second).getLong("counts.sent"));
        }
        assertTrue(recipients(c.phoneNumberId()).contains(reader), "Meta received the second issue for the reader");
        assertEquals(0L, c.w().owner().req().get("/api/tenants/" + c.w().slug() + "/channel/messaging-limit")
                .then().extract().jsonPath().getLong("remaining"), "never more than the limit");
    }
}
