package io.consentcast.optin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.consentcast.consent.ConsentEventType;
import io.consentcast.testsupport.Forms;
import io.consentcast.consent.ConsentService;
import io.consentcast.consent.ConsentStatus;
import io.consentcast.consent.SubscriberService;
import io.consentcast.consent.Views.EventView;
import io.consentcast.consent.Views.SubscriberView;
import io.consentcast.tenancy.TenancyService;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.testsupport.TestClock;
import io.consentcast.whatsapp.GraphMock;
import io.consentcast.whatsapp.WebhookInbox;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The reader's journey against PostgreSQL, with Meta played by WireMock and signed webhooks: landing page,
 * double opt-in from WhatsApp, START/JA, STOP, the unsubscribe page, and every way a confirmation can fail.
 */
@QuarkusTest
class OptInFlowTest {

    private static final Pattern WA_LINK = Pattern.compile("href=\"(https://wa\\.me/(\\d+)\\?text=([A-Z0-9]+)%20([A-Z0-9]{6}))\"");

    @Inject
    TenantScope scope;

    @Inject
    TenancyService tenancy;

    @Inject
    ConsentService consent;

    @Inject
    SubscriberService subscribers;

    @Inject
    WebhookInbox inbox;

    @Inject
    TestClock clock;

    @Inject
    PublicPageShedding shedding;

    @Inject
    Clock appClock;

    @Inject
    RateLimiter limiter;

    @Inject
    jakarta.persistence.EntityManager em;

    String slug;
    String tenantId;
    String phoneNumberId;
    UUID listId;

    @BeforeEach
    void workspaceWithCloudApiAndList() {
        limiter.clear();
        Api owner = Api.newUser("optin");
        slug = owner.createWorkspace("optin");
        tenantId = tenancy.findBySlug(slug).orElseThrow().id;
        phoneNumberId = String.valueOf(System.nanoTime());
        GraphMock.ownedNumber(phoneNumberId, "102290129340398", "EAAG-test-token");
        owner.req().body(Map.of("type", "cloud-api", "phoneNumberId", phoneNumberId, "businessAccountId", "102290129340398",
                "displayPhoneNumber", "+49 30 1234567", "accessToken", "EAAG-test-token"))
                .put("/api/tenants/" + slug + "/channel").then().statusCode(200);
        graph().stubFor(post(urlEqualTo("/v23.0/" + phoneNumberId + "/messages")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"x\",\"wa_id\":\"x\"}],"
                        + "\"messages\":[{\"id\":\"wamid.reply" + System.nanoTime() + "\"}]}")));
        String id = owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists")
                .then().statusCode(201).extract().path("id");
        listId = UUID.fromString(id);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static WireMockServer graph() {
        return GraphMock.server();
    }

    /** GETs the landing page like a browser and submits the form with its CSRF token. */
    private Response submit(String phone, boolean consentTicked, String honeypot) {
        Response form = given().header("Accept-Language", "en").get("/p/" + slug + "/morgen");
        form.then().statusCode(200);
        String token = Forms.csrfToken(form.asString());
        var req = given().cookies(form.getCookies()).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", token).formParam("phone", phone).formParam("country", "DE");
        if (consentTicked) {
            req = req.formParam("consent", "on");
        }
        if (honeypot != null) {
            req = req.formParam("website", honeypot);
        }
        return req.post("/p/" + slug + "/morgen");
    }

    private static String code(Response confirmPage) {
        Matcher m = WA_LINK.matcher(confirmPage.asString());
        assertTrue(m.find(), confirmPage.asString());
        assertEquals("49301234567", m.group(2));
        assertEquals("MORGEN", m.group(3));
        return m.group(4);
    }

    /** The reader sends {@code text}; returns once the webhook carrying it has been processed. */
    private void whatsapp(String from, String text) {
        awaitProcessed(WhatsAppSimulator.send(phoneNumberId, from, text, appClock.instant()));
    }

    private void awaitProcessed(String marker) {
        String wamid = marker;
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            inbox.processPending();
            assertEquals(0L, (long) scope.platform(() -> em.createQuery(
                    "select count(e) from InboxEntry e where e.status <> 'DONE' and e.payload like :p", Long.class)
                    .setParameter("p", "%" + wamid + "%").getSingleResult()));
        });
    }

    private void assertReplied(String to, String fragment) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> graph().verify(
                postRequestedFor(urlEqualTo("/v23.0/" + phoneNumberId + "/messages"))
                        .withRequestBody(matchingJsonPath("$.to", equalTo(to)))
                        .withRequestBody(containing(fragment))));
    }

    private Optional<ConsentStatus> state(String e164) {
        return scope.call(tenantId, () -> subscribers.findByPhone(e164)
                .flatMap(s -> consent.stateOf(s.id(), listId)));
    }

    private List<EventView> events(String e164) {
        return scope.call(tenantId, () -> {
            SubscriberView s = subscribers.findByPhone(e164).orElseThrow();
            return subscribers.events(s.id());
        });
    }

    @Test
    void theLandingPageShowsTheExactConsentTextInTheListsLanguage() {
        given().header("Accept-Language", "en").get("/p/" + slug + "/morgen").then().statusCode(200)
                .body(containsString("Ja, ich möchte das Morgenbriefing per WhatsApp erhalten. Abmeldung jederzeit mit STOP."))
                .body(containsString("Ihre WhatsApp-Nummer"))
                .body(containsString("type=\"checkbox\" id=\"consent\" name=\"consent\""))
                .body(not(containsString("checked")))
                .body(containsString("https://example.org/impressum"))
                .body(not(containsString("http://fonts")));
        given().get("/p/" + slug + "/no-such-list").then().statusCode(404);
        given().get("/p/no-such-workspace-x/morgen").then().statusCode(404);
        // Every answered request leaves the load shedder's count (a leak would refuse readers one day).
        long until = System.nanoTime() + 2_000_000_000L;
        while (shedding.inFlight() != 0 && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertEquals(0, shedding.inFlight());
    }

    @Test
    void doubleOptInFromTheLandingPageAndConfirmationFromTheSameNumber() {
        Response page = submit("0151 23456701", true, null);
        page.then().statusCode(200).body(containsString("In WhatsApp bestätigen"));
        String code = code(page);
        assertEquals(Optional.of(ConsentStatus.PENDING), state("+4915123456701"));
        // The same number again while pending: the same code, no second REQUESTED.
        assertEquals(code, code(submit("+49 151 23456701", true, null)));
        assertEquals(1, events("+4915123456701").stream().filter(e -> e.type() == ConsentEventType.REQUESTED).count());

        whatsapp("4915123456701", "morgen " + code);
        assertEquals(Optional.of(ConsentStatus.CONFIRMED), state("+4915123456701"));
        EventView confirmed = events("+4915123456701").stream().filter(e -> e.type() == ConsentEventType.CONFIRMED)
                .findFirst().orElseThrow();
        assertTrue(confirmed.waMessageId().startsWith("wamid."), "proof: the inbound message id");
        assertTrue(confirmed.consentTextId() != null, "the consent text version that was shown");
        assertReplied("4915123456701", "bestätigt");
        assertReplied("4915123456701", "STOP MORGEN");

        // The code is single use.
        whatsapp("4915123456701", "MORGEN " + code);
        assertReplied("4915123456701", "bereits verwendet");
    }

    @Test
    void aCodeFromAnotherNumberOrAfter48HoursDoesNotConfirm() {
        String code = code(submit("0151 23456702", true, null));
        whatsapp("4915199999902", "MORGEN " + code);
        assertReplied("4915199999902", "anderen Telefonnummer");
        assertEquals(Optional.of(ConsentStatus.PENDING), state("+4915123456702"));

        clock.advance(Duration.ofHours(48).plusMinutes(1));
        whatsapp("4915123456702", "MORGEN " + code);
        assertReplied("4915123456702", "abgelaufen");
        assertEquals(Optional.of(ConsentStatus.PENDING), state("+4915123456702"));

        whatsapp("4915123456702", "MORGEN ZZZZZZ");
        assertReplied("4915123456702", "nicht finden");
    }

    @Test
    void badInputOnTheLandingPageIsExplainedInTheListsLanguageAndStoresNothing() {
        submit("0151 23456703", false, null).then().statusCode(400)
                .body(containsString("Bitte setzen Sie das Häkchen, um zuzustimmen."))
                .body(containsString("value=\"0151 23456703\""));
        submit("12", true, null).then().statusCode(400).body(containsString("keine gültige Mobilnummer im gewählten Land"));
        submit("<script>alert(1)</script>", true, null).then().statusCode(400)
                .body(not(containsString("<script>alert(1)</script>")));
        assertEquals(Optional.empty(), state("+4915123456703"));

        // A bot filling the hidden field sees a thank-you and leaves no trace.
        submit("0151 23456704", true, "http://spam.example").then().statusCode(200).body(containsString("Vielen Dank"));
        assertEquals(Optional.empty(), state("+4915123456704"));
    }

    @Test
    void floodsGetAPolite429() {
        for (int i = 0; i < 5; i++) {
            submit("0151 23456705", true, null).then().statusCode(200);
        }
        submit("0151 23456705", true, null).then().statusCode(429).body(containsString("Zu viele Versuche"));
    }

    @Test
    void startAndJaConfirmFromWhatsAppAlone() {
        whatsapp("4915123456706", "START MORGEN");
        assertReplied("4915123456706", "Ja, ich möchte das Morgenbriefing per WhatsApp erhalten.");
        assertReplied("4915123456706", "JA");
        assertEquals(Optional.of(ConsentStatus.PENDING), state("+4915123456706"));
        whatsapp("4915123456706", "Ja");
        assertEquals(Optional.of(ConsentStatus.CONFIRMED), state("+4915123456706"));
        List<EventView> history = events("+4915123456706");
        assertEquals(ConsentEventType.REQUESTED, history.get(0).type());
        assertTrue(history.get(0).waMessageId() != null, "the START message is evidence too");
        assertEquals(ConsentEventType.CONFIRMED, history.get(history.size() - 1).type());
    }

    @Test
    void stopWithdrawsAndResubscribingNeedsANewConfirmation() {
        String code = code(submit("0151 23456707", true, null));
        whatsapp("4915123456707", "MORGEN " + code);
        assertEquals(Optional.of(ConsentStatus.CONFIRMED), state("+4915123456707"));

        whatsapp("4915123456707", "Stop");
        assertEquals(Optional.of(ConsentStatus.WITHDRAWN), state("+4915123456707"));
        assertReplied("4915123456707", "keine weiteren Nachrichten");

        String again = code(submit("0151 23456707", true, null));
        assertEquals(Optional.of(ConsentStatus.PENDING), state("+4915123456707"));
        whatsapp("4915123456707", "MORGEN " + again);
        assertEquals(Optional.of(ConsentStatus.CONFIRMED), state("+4915123456707"));

        whatsapp("4915123456707", "abmelden morgen");
        assertEquals(Optional.of(ConsentStatus.WITHDRAWN), state("+4915123456707"));
    }

    @Test
    void theUnsubscribePageWithdrawsWithoutRevealingAnything() {
        String code = code(submit("0151 23456708", true, null));
        whatsapp("4915123456708", "MORGEN " + code);
        Response form = given().get("/p/" + slug + "/morgen/unsubscribe");
        String token = Forms.csrfToken(form.asString());
        given().cookies(form.getCookies()).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", token).formParam("phone", "0151 23456708").formParam("country", "DE")
                .post("/p/" + slug + "/morgen/unsubscribe").then().statusCode(200)
                .body(containsString("Falls diese Nummer angemeldet war"));
        assertEquals(Optional.of(ConsentStatus.WITHDRAWN), state("+4915123456708"));
        EventView withdrawn = events("+4915123456708").stream().filter(e -> e.type() == ConsentEventType.WITHDRAWN)
                .findFirst().orElseThrow();
        assertEquals("unverified web withdrawal", withdrawn.reason());

        // An unknown number gets the same answer and creates nothing.
        given().cookies(form.getCookies()).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", token).formParam("phone", "0151 23456799").formParam("country", "DE")
                .post("/p/" + slug + "/morgen/unsubscribe").then().statusCode(200)
                .body(containsString("Falls diese Nummer angemeldet war"));
        assertEquals(Optional.empty(), state("+4915123456799"));
    }

    @Test
    void metasStopPromotionsSuppressesAndResumeLiftsIt() {
        String code = code(submit("0151 23456710", true, null));
        whatsapp("4915123456710", "MORGEN " + code);
        awaitProcessed(WhatsAppSimulator.marketingPreference(phoneNumberId, "4915123456710", "stop", appClock.instant()));
        assertEquals(Optional.of(ConsentStatus.SUPPRESSED), state("+4915123456710"));
        assertTrue(events("+4915123456710").stream().anyMatch(e -> e.type() == ConsentEventType.SUPPRESSED));
        clock.advance(Duration.ofMinutes(5));
        awaitProcessed(WhatsAppSimulator.marketingPreference(phoneNumberId, "4915123456710", "resume", appClock.instant()));
        assertTrue(events("+4915123456710").stream().anyMatch(e -> e.type() == ConsentEventType.UNSUPPRESSED));
        assertEquals(Optional.of(ConsentStatus.CONFIRMED), state("+4915123456710"));
    }

    @Test
    void unknownMessagesGetOneHelpReplyPerDay() {
        whatsapp("4915123456709", "Hallo, was ist das?");
        assertReplied("4915123456709", "START");
        whatsapp("4915123456709", "Noch eine Frage");
        graph().verify(1, postRequestedFor(urlEqualTo("/v23.0/" + phoneNumberId + "/messages"))
                .withRequestBody(matchingJsonPath("$.to", equalTo("4915123456709"))));
    }
}
