package io.consentcast.optin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.consentcast.consent.ConsentEventType;
import io.consentcast.consent.ConsentService;
import io.consentcast.consent.ConsentStatus;
import io.consentcast.consent.EventSource;
import io.consentcast.consent.SubscriberService;
import io.consentcast.consent.Views.EventView;
import io.consentcast.tenancy.TenancyService;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.testsupport.Forms;
import io.consentcast.whatsapp.GraphMock;
import io.consentcast.whatsapp.WebhookInbox;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * "START MORGEN" written on the sandbox phone asked a made-up reader, not the number's owner: after the switch
 * to the Cloud API, a "JA" from the real number does not confirm it; only a START and JA on WhatsApp do.
 */
@QuarkusTest
class SandboxOptInTest {

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
    EntityManager em;

    @Inject
    Clock appClock;

    private void awaitProcessed(String wamid) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            inbox.processPending();
            assertEquals(0L, (long) scope.platform(() -> em.createQuery(
                    "select count(e) from InboxEntry e where e.status <> 'DONE' and e.payload like :p", Long.class)
                    .setParameter("p", "%" + wamid + "%").getSingleResult()));
        });
    }

    @Test
    void aStartWrittenOnTheSandboxPhoneIsNotConfirmedByAJaFromWhatsApp() {
        Api owner = Api.newUser("sbxstart");
        String slug = owner.createWorkspace("sbxstart");
        String tenantId = tenancy.findBySlug(slug).orElseThrow().id;
        UUID listId = UUID.fromString(owner.req().body(Fixtures.germanList("morgen", "MORGEN"))
                .post("/api/tenants/" + slug + "/lists").then().statusCode(201).extract().path("id"));
        String digits = "49151000" + String.format("%05d", System.nanoTime() % 100_000L);

        Response page = given().auth().oauth2(owner.token()).accept("text/html").get("/t/" + slug + "/sandbox");
        given().auth().oauth2(owner.token()).redirects().follow(false)
                .cookie("csrf-token", page.getCookie("csrf-token")).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", Forms.csrfToken(page.asString())).formParam("number", "+" + digits)
                .formParam("text", "START MORGEN")
                .post("/t/" + slug + "/sandbox/messages").then().statusCode(303);

        String phone = String.valueOf(System.nanoTime());
        GraphMock.ownedNumber(phone, "102290129340398", "EAAG-sandbox-start");
        owner.req().body(Map.of("type", "cloud-api", "phoneNumberId", phone, "businessAccountId", "102290129340398",
                "accessToken", "EAAG-sandbox-start")).put("/api/tenants/" + slug + "/channel").then().statusCode(200);
        GraphMock.server().stubFor(post(urlEqualTo("/v23.0/" + phone + "/messages")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"x\",\"wa_id\":\"x\"}],"
                        + "\"messages\":[{\"id\":\"wamid.reply" + System.nanoTime() + "\"}]}")));

        awaitProcessed(WhatsAppSimulator.send(phone, digits, "JA", appClock.instant()));
        assertEquals(Optional.of(ConsentStatus.PENDING), state(tenantId, "+" + digits, listId),
                "the real number's JA does not answer the sandbox's START");

        awaitProcessed(WhatsAppSimulator.send(phone, digits, "START MORGEN", appClock.instant()));
        awaitProcessed(WhatsAppSimulator.send(phone, digits, "JA", appClock.instant()));
        assertEquals(Optional.of(ConsentStatus.CONFIRMED), state(tenantId, "+" + digits, listId));
        List<EventView> events = scope.call(tenantId, () -> subscribers.events(
                subscribers.findByPhone("+" + digits).orElseThrow().id()));
        assertEquals(List.of("REQUESTED SANDBOX", "REQUESTED WHATSAPP", "CONFIRMED WHATSAPP"),
                events.stream().map(e -> e.type() + " " + e.source()).toList());
        assertEquals(EventSource.WHATSAPP, events.stream().filter(e -> e.type() == ConsentEventType.CONFIRMED)
                .findFirst().orElseThrow().source());
    }

    private Optional<ConsentStatus> state(String tenantId, String e164, UUID listId) {
        return scope.call(tenantId, () -> subscribers.findByPhone(e164).flatMap(s -> consent.stateOf(s.id(), listId)));
    }
}
