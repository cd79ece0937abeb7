package io.consentcast.dispatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentcast.consent.ConsentEventType;
import io.consentcast.consent.ConsentService;
import io.consentcast.consent.ConsentStatus;
import io.consentcast.consent.EventSource;
import io.consentcast.consent.NewEvent;
import io.consentcast.consent.SubscriberService;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.testsupport.Forms;
import io.consentcast.whatsapp.GraphMock;
import io.consentcast.whatsapp.ReplySender;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Several sending numbers in one workspace (issue 17): a regional and a national edition, each list on its number.
 * Issues leave from their list's number (the phone number id in the Graph URL, from WireMock's journal), readers
 * write to it and are answered from the number they wrote to, numbers are proven with Meta like the first one, and a
 * number lists send from cannot be removed.
 */
@QuarkusTest
class SendingNumbersTest {

    private static final String DISPLAY_B = "+49 89 7654321";

    @Inject
    DispatchFixture fx;

    @Inject
    CloudFixture cloud;

    @Inject
    TenantScope scope;

    @Inject
    ConsentService consent;

    @Inject
    SubscriberService subscribers;

    @Inject
    ReplySender replies;

    private final ObjectMapper json = new ObjectMapper();

    /** A workspace on the Cloud API with number A (default, list "morgen") and number B (list "abend"). */
    private record TwoNumbers(CloudFixture.Cloud c, String a, String b, String waba, UUID abendId, UUID abendText) {
        String base() {
            return "/api/tenants/" + c.w().slug();
        }
    }

    private TwoNumbers twoNumbers(String prefix) {
        CloudFixture.Cloud c = cloud.cloud(prefix);
        String base = "/api/tenants/" + c.w().slug();
        String waba = c.w().owner().req().get(base + "/channel").then().statusCode(200).extract()
                .path("businessAccountId");
        String b = DispatchEngineTest.graphId();
        GraphMock.ownedNumber(b, waba, "tok-" + prefix, DISPLAY_B);
        c.w().owner().req().body(Map.of("phoneNumberId", b)).post(base + "/channel/numbers").then().statusCode(201)
                .body("phoneNumberId", equalTo(b)).body("displayPhoneNumber", equalTo(DISPLAY_B))
                .body("isDefault", equalTo(false)).body("businessAccountId", equalTo(waba));
        Map<String, Object> abend = Fixtures.germanList("abend", "ABEND");
        abend.put("name", "Abendausgabe");
        abend.put("sendingNumber", b);
        var created = c.w().owner().req().body(abend).post(base + "/lists").then().statusCode(201)
                .body("sendingNumber", equalTo(b)).extract();
        acceptAll(c.phoneNumberId());
        acceptAll(b);
        return new TwoNumbers(c, c.phoneNumberId(), b, waba, UUID.fromString(created.path("id")),
                UUID.fromString(created.path("consentTextId")));
    }

    private static void acceptAll(String phoneNumberId) {
        GraphMock.server().stubFor(post(urlEqualTo(messages(phoneNumberId))).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"x\",\"wa_id\":\"x\"}],"
                        + "\"messages\":[{\"id\":\"wamid.{{randomValue length=24 type='ALPHANUMERIC'}}\"}]}")
                .withTransformers("response-template")));
    }

    private static String messages(String phoneNumberId) {
        return "/v23.0/" + phoneNumberId + "/messages";
    }

    /** The recipients of every message Meta received from {@code phoneNumberId}, from WireMock's journal. */
    private List<String> recipients(String phoneNumberId) {
        return GraphMock.server().findAll(postRequestedFor(urlEqualTo(messages(phoneNumberId)))).stream()
                .map(r -> {
                    try {
                        return json.readTree(r.getBodyAsString()).path("to").asText();
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
    }

    private UUID confirmedOn(TwoNumbers t, String phone) {
        return scope.call(t.c().w().tenantId(), () -> {
            UUID id = consent.subscriberFor(phone).id();
            consent.append(NewEvent.of(id, ConsentEventType.CONFIRMED, EventSource.WHATSAPP).forList(t.abendId())
                    .withConsentText(t.abendText()).withWhatsApp("wamid.in." + UUID.randomUUID(), Instant.now()));
            return id;
        });
    }

    @Test
    void eachListsIssueLeavesFromItsListsNumberAndItsPagesNameIt() {
        TwoNumbers t = twoNumbers("twonum");
        List<String> morning = cloud.readers(t.c(), 2);
        List<String> evening = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String phone = DispatchFixture.number();
            confirmedOn(t, phone);
            evening.add(phone.substring(1));
        }
        t.c().w().owner().req().get(t.base() + "/channel/numbers").then().statusCode(200).body("$", hasSize(2))
                .body("[0].phoneNumberId", equalTo(t.a())).body("[0].isDefault", equalTo(true))
                .body("[1].phoneNumberId", equalTo(t.b())).body("[1].lists", equalTo(List.of("Abendausgabe")));

        String morningIssue = cloud.sendIssue(t.c(), "Montag");
        String eveningIssue = t.c().w().owner().req().body(Map.of("list", "abend", "title", "Abend", "template",
                Map.of("name", "morning_briefing", "language", "de", "parameters", List.of("Abend"))))
                .post(t.c().w().issues()).then().statusCode(201).extract().path("id");
        t.c().w().owner().req().post(t.c().w().issues() + "/" + eveningIssue + "/send").then().statusCode(200);
        try (Dispatcher d = fx.dispatcher("twonum", 4)) {
            assertEquals(2, cloud.settle(d, t.c(), morningIssue).getLong("counts.sent"));
            assertEquals(2, cloud.settle(d, t.c(), eveningIssue).getLong("counts.sent"));
        }
        assertEquals(Set.copyOf(morning), Set.copyOf(recipients(t.a())), "the morning edition left from number A");
        assertEquals(Set.copyOf(evening), Set.copyOf(recipients(t.b())), "the evening edition left from number B");

        // Readers join through the list's number: the landing page's wa.me link and text name B for "abend".
        String digitsB = DISPLAY_B.replaceAll("[^0-9]", "");
        String digitsA = GraphMock.DISPLAY_NUMBER.replaceAll("[^0-9]", "");
        assertTrue(landingConfirmation(t, "abend").contains("https://wa.me/" + digitsB + "?text="));
        assertTrue(landingConfirmation(t, "morgen").contains("https://wa.me/" + digitsA + "?text="));
        given().auth().oauth2(t.c().w().owner().token()).accept("text/html")
                .get("/t/" + t.c().w().slug() + "/lists/abend").then().statusCode(200)
                .body(containsString(DISPLAY_B)).body(not(containsString("sending-number-fallback")));

        // The channel moves number A to another business account: B (of the old account) is released, and the
        // list that named it sends from the default and says so.
        String newWaba = DispatchEngineTest.graphId();
        GraphMock.ownedNumber(t.a(), newWaba, "tok-twonum");
        t.c().w().owner().req().body(Map.of("type", "cloud-api", "phoneNumberId", t.a(), "businessAccountId", newWaba))
                .put(t.base() + "/channel").then().statusCode(200);
        assertEquals(List.of(t.a()), t.c().w().owner().req().get(t.base() + "/channel/numbers").then()
                .statusCode(200).extract().jsonPath().getList("phoneNumberId"));
        given().auth().oauth2(t.c().w().owner().token()).header("Accept-Language", "en").accept("text/html")
                .get("/t/" + t.c().w().slug() + "/lists/abend").then().statusCode(200)
                .body(containsString("sending-number-fallback")).body(containsString("no longer connected"));
    }

    /** Submits a list's landing page form like a browser; returns the confirmation page. */
    private String landingConfirmation(TwoNumbers t, String list) {
        Response form = given().header("Accept-Language", "en").get("/p/" + t.c().w().slug() + "/" + list);
        form.then().statusCode(200);
        return given().cookies(form.getCookies()).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", Forms.csrfToken(form.asString())).formParam("phone", DispatchFixture.number())
                .formParam("country", "DE").formParam("consent", "on").post("/p/" + t.c().w().slug() + "/" + list)
                .then().statusCode(200).extract().asString();
    }

    @Test
    void aStartWrittenToNumberBJoinsItsListAndTheRepliesLeaveFromB() {
        TwoNumbers t = twoNumbers("inbound");
        String reader = DispatchFixture.number().substring(1);
        inbound(t.b(), reader, "START ABEND");
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            replies.drainPending();
            assertEquals(1, recipients(t.b()).stream().filter(reader::equals).count(), "the consent text from B");
        });
        inbound(t.b(), reader, "JA");
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            replies.drainPending();
            assertEquals(2, recipients(t.b()).stream().filter(reader::equals).count(), "the confirmation from B");
            assertEquals(Optional.of(ConsentStatus.CONFIRMED), scope.call(t.c().w().tenantId(), () -> subscribers
                    .findByPhone("+" + reader).flatMap(s -> consent.stateOf(s.id(), t.abendId()))));
        });
        assertTrue(recipients(t.a()).stream().noneMatch(reader::equals), "nothing left from A for this reader");
    }

    /** Meta's signed "messages" webhook: {@code from} wrote {@code text} to the number {@code phoneNumberId}. */
    private static void inbound(String phoneNumberId, String from, String text) {
        String payload = """
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",
                "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"4989765432",
                "phone_number_id":"%s"},"contacts":[{"profile":{"name":"Leserin"},"wa_id":"%s"}],
                "messages":[{"from":"%s","id":"wamid.%s","timestamp":"%d","type":"text","text":{"body":"%s"}}]}}]}]}
                """.formatted(phoneNumberId, from, from, UUID.randomUUID().toString().replace("-", ""),
                Instant.now().getEpochSecond(), text);
        byte[] raw = payload.getBytes(StandardCharsets.UTF_8);
        given().header("X-Hub-Signature-256", sign(raw)).contentType("application/json").body(raw)
                .post("/webhooks/whatsapp").then().statusCode(200);
    }

    private static String sign(byte[] raw) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("test-app-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(raw));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anotherWorkspacesNumberIsRefusedForTheChannelAndForALists() {
        TwoNumbers t = twoNumbers("mine");
        CloudFixture.Cloud other = cloud.cloud("theirs");
        String foreign = other.phoneNumberId();
        GraphMock.ownedNumber(foreign, t.waba(), "tok-mine");

        t.c().w().owner().req().body(Map.of("phoneNumberId", foreign)).post(t.base() + "/channel/numbers").then()
                .statusCode(409).contentType("application/problem+json")
                .body("errors.phoneNumberId", containsString("already connected to another workspace"));
        t.c().w().owner().req().body(Map.of("sendingNumber", foreign)).put(t.base() + "/lists/morgen").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.sendingNumber", containsString("one of the workspace's numbers"));
        t.c().w().owner().req().body(Map.of("phoneNumberId", "12ab")).post(t.base() + "/channel/numbers").then()
                .statusCode(400).body("errors.phoneNumberId", not(nullValue()));
        // A number the channel's account does not have (Meta's answer for this token): 400, nothing stored.
        String stranger = DispatchEngineTest.graphId();
        GraphMock.ownedNumber(stranger, DispatchEngineTest.graphId(), "tok-mine");
        t.c().w().owner().req().body(Map.of("phoneNumberId", stranger)).post(t.base() + "/channel/numbers").then()
                .statusCode(400).body("errors.businessAccountId", containsString("does not belong"));
        t.c().w().owner().req().get(t.base() + "/channel/numbers").then().statusCode(200).body("$", hasSize(2));
        t.c().w().owner().req().get(t.base() + "/lists/morgen").then().statusCode(200)
                .body("sendingNumber", nullValue());
    }

    @Test
    void aNumberAListSendsFromCannotBeRemovedUntilTheListMovesAndASwitchedOffNumberFallsBackVisibly() {
        TwoNumbers t = twoNumbers("remove");
        String slug = t.c().w().slug();
        String token = t.c().w().owner().token();
        t.c().w().owner().req().delete(t.base() + "/channel/numbers/" + t.b()).then().statusCode(409)
                .body("errors.phoneNumberId", containsString("Lists send from this number"));
        t.c().w().owner().req().delete(t.base() + "/channel/numbers/" + t.a()).then().statusCode(409)
                .body("errors.phoneNumberId", containsString("default number cannot be removed"));
        t.c().w().owner().req().delete(t.base() + "/channel/numbers/999").then().statusCode(404);

        // The German page says the same, behind its CSRF token.
        Response page = given().auth().oauth2(token).header("Accept-Language", "de").accept("text/html")
                .get("/t/" + slug + "/channel/numbers");
        page.then().statusCode(200).body(containsString("Absendernummern")).body(containsString(DISPLAY_B))
                .body(containsString("Abendausgabe"));
        String csrf = Forms.csrfToken(page.asString());
        String cookie = page.getCookie("csrf-token");
        given().auth().oauth2(token).header("Accept-Language", "de").cookie("csrf-token", cookie)
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", csrf)
                .post("/t/" + slug + "/channel/numbers/" + t.b() + "/remove").then().statusCode(409)
                .body(containsString("Listen senden von dieser Nummer"));
        given().auth().oauth2(token).header("Accept-Language", "de").contentType("application/x-www-form-urlencoded")
                .post("/t/" + slug + "/channel/numbers/" + t.b() + "/remove").then().statusCode(403);

        // A third number added on the page, made the default there; then the list moves and B can go.
        String c3 = DispatchEngineTest.graphId();
        GraphMock.ownedNumber(c3, t.waba(), "tok-remove", "+49 40 5555555");
        given().auth().oauth2(token).header("Accept-Language", "de").cookie("csrf-token", cookie)
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", csrf)
                .formParam("phoneNumberId", c3).post("/t/" + slug + "/channel/numbers").then().statusCode(200)
                .body(containsString("Die Nummer wurde hinzugefügt")).body(containsString("+49 40 5555555"));
        given().auth().oauth2(token).header("Accept-Language", "de").cookie("csrf-token", cookie)
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", csrf)
                .post("/t/" + slug + "/channel/numbers/" + c3 + "/default").then().statusCode(200)
                .body(containsString("Die Standardnummer wurde geändert"));
        t.c().w().owner().req().get(t.base() + "/channel").then().body("phoneNumberId", equalTo(c3));
        t.c().w().owner().req().body(Map.of("sendingNumber", "")).put(t.base() + "/lists/abend").then()
                .statusCode(200).body("sendingNumber", nullValue());
        t.c().w().owner().req().delete(t.base() + "/channel/numbers/" + t.b()).then().statusCode(204);
        List<String> left = t.c().w().owner().req().get(t.base() + "/channel/numbers").then().statusCode(200)
                .extract().jsonPath().getList("phoneNumberId");
        assertEquals(List.of(c3, t.a()), left, "the default first, B released");
        // Another workspace may claim B now.
        CloudFixture.Cloud other = cloud.cloud("claimb");
        String otherWaba = other.w().owner().req().get("/api/tenants/" + other.w().slug() + "/channel").then()
                .extract().path("businessAccountId");
        GraphMock.ownedNumber(t.b(), otherWaba, "tok-claimb");
        other.w().owner().req().body(Map.of("phoneNumberId", t.b())).post("/api/tenants/" + other.w().slug()
                + "/channel/numbers").then().statusCode(201);

        // A list naming a number the workspace let go (here: back to the sandbox) sends from the default and says so.
        t.c().w().owner().req().body(Map.of("sendingNumber", t.a())).put(t.base() + "/lists/abend").then()
                .statusCode(200).body("sendingNumber", equalTo(t.a()));
        t.c().w().owner().req().body(Map.of("type", "sandbox")).put(t.base() + "/channel").then().statusCode(200);
        given().auth().oauth2(token).header("Accept-Language", "de").accept("text/html")
                .get("/t/" + slug + "/lists/abend").then().statusCode(200)
                .body(containsString("sending-number-fallback")).body(containsString("nicht mehr verbunden"));
        t.c().w().owner().req().body(Map.of("phoneNumberId", DispatchEngineTest.graphId()))
                .post(t.base() + "/channel/numbers").then().statusCode(409).contentType("application/problem+json")
                .body("errors.phoneNumberId", containsString("sandbox has one number"));
        List<String> sandboxNumbers = t.c().w().owner().req().get(t.base() + "/channel/numbers").then()
                .statusCode(200).extract().jsonPath().getList("phoneNumberId");
        assertEquals(List.of(), sandboxNumbers.stream().collect(Collectors.toList()));
    }
}
