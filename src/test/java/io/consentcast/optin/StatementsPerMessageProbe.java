package io.consentcast.optin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.consentcast.consent.ConsentService;
import io.consentcast.consent.ConsentStatus;
import io.consentcast.consent.SubscriberService;
import io.consentcast.tenancy.TenancyService;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.testsupport.Forms;
import io.consentcast.whatsapp.GraphMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Not part of the normal build: the procedure behind docs/PERFORMANCE.md's "statements per message". With
 * {@code ALTER DATABASE <db> SET log_statement = 'all'} on the test database, it runs one START, JA and STOP through
 * the webhook, and one landing-page GET and POST, each after the previous one's reply left, separated by marker
 * statements ({@code SELECT 'probe:<step>'}) in the server log; the statements between two markers are the step's.
 * Run: {@code ./mvnw test -Dtest=StatementsPerMessageProbe -Dstatements.probe=true}.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "statements.probe", matches = "true")
class StatementsPerMessageProbe {

    @Inject
    TenantScope scope;

    @Inject
    TenancyService tenancy;

    @Inject
    ConsentService consent;

    @Inject
    SubscriberService subscribers;

    @Inject
    Clock clock;

    @Inject
    EntityManager em;

    @Test
    void startJaStopAndALandingSubmission() throws Exception {
        Api owner = Api.newUser("probe");
        String slug = owner.createWorkspace("probe");
        String tenantId = tenancy.findBySlug(slug).orElseThrow().id;
        String phoneNumberId = String.valueOf(System.nanoTime());
        GraphMock.ownedNumber(phoneNumberId, "102290129340398", "EAAG-test-token");
        owner.req().body(Map.of("type", "cloud-api", "phoneNumberId", phoneNumberId, "businessAccountId",
                "102290129340398", "displayPhoneNumber", "+49 30 1234567", "accessToken", "EAAG-test-token"))
                .put("/api/tenants/" + slug + "/channel").then().statusCode(200);
        GraphMock.server().stubFor(post(urlEqualTo("/v23.0/" + phoneNumberId + "/messages")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"x\",\"wa_id\":\"x\"}],"
                        + "\"messages\":[{\"id\":\"wamid.reply" + System.nanoTime() + "\"}]}")));
        UUID listId = UUID.fromString(owner.req().body(Fixtures.germanList("morgen", "MORGEN"))
                .post("/api/tenants/" + slug + "/lists").then().statusCode(201).extract().path("id"));

        // Warm-up: one reader through every step, so caches are filled as on a running instance.
        String warm = "4915177799001";
        for (String word : new String[] { "START MORGEN", "JA", "STOP" }) {
            whatsapp(phoneNumberId, warm, word);
        }
        landing(slug, "+4915177799002");

        String reader = "4915177799003";
        marker("start-begin");
        whatsapp(phoneNumberId, reader, "START MORGEN");
        marker("start-end");
        whatsapp(phoneNumberId, reader, "JA");
        marker("ja-end");
        whatsapp(phoneNumberId, reader, "STOP");
        marker("stop-end");
        Response form = given().header("Accept-Language", "de").get("/p/" + slug + "/morgen");
        marker("get-end");
        given().cookies(form.getCookies()).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", Forms.csrfToken(form.asString())).formParam("phone", "+4915177799004")
                .formParam("country", "DE").formParam("consent", "on").post("/p/" + slug + "/morgen")
                .then().statusCode(200);
        marker("post-end");

        assertEquals(Optional.of(ConsentStatus.WITHDRAWN), scope.call(tenantId,
                () -> subscribers.findByPhone("+" + reader).flatMap(s -> consent.stateOf(s.id(), listId))));
        assertEquals(Optional.of(ConsentStatus.PENDING), scope.call(tenantId,
                () -> subscribers.findByPhone("+4915177799004").flatMap(s -> consent.stateOf(s.id(), listId))));
    }

    private void landing(String slug, String phone) {
        Response form = given().header("Accept-Language", "de").get("/p/" + slug + "/morgen");
        given().cookies(form.getCookies()).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", Forms.csrfToken(form.asString())).formParam("phone", phone)
                .formParam("country", "DE").formParam("consent", "on").post("/p/" + slug + "/morgen")
                .then().statusCode(200);
    }

    /** Sends and waits until the message is processed and its reply has left (outbox row SENT). */
    private void whatsapp(String phoneNumberId, String from, String text) {
        String wamid = WhatsAppSimulator.send(phoneNumberId, from, text, clock.instant());
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> "SENT"
                .equals(scope.platform(() -> em.createNativeQuery("SELECT state FROM whatsapp_outbox WHERE in_reply_to = ?1")
                        .setParameter(1, wamid).getResultStream().findFirst().orElse(null))));
    }

    private void marker(String step) {
        scope.platform(() -> em.createNativeQuery("SELECT 'probe:" + step + "'").getSingleResult());
    }
}
