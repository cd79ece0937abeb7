package io.consentcast.optin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.consentcast.consent.ConsentEventType;
import io.consentcast.consent.ConsentService;
import io.consentcast.consent.ConsentStatus;
import io.consentcast.consent.SubscriberService;
import io.consentcast.tenancy.TenancyService;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.consent.Views.EventView;
import io.consentcast.whatsapp.GraphMock;
import io.consentcast.whatsapp.SandboxPhone;
import io.consentcast.whatsapp.WebhookInbox;
import io.quarkus.test.junit.QuarkusTest;

/** Imported readers get no marketing until they reconfirm: asked by a utility template, confirmed by tapping "Ja". */
@QuarkusTest
class RepermissionTest {

    @Inject
    TenantScope scope;

    @Inject
    TenancyService tenancy;

    @Inject
    ConsentService consent;

    @Inject
    SubscriberService subscribers;

    @Inject
    SandboxPhone phone;

    @Inject
    WebhookInbox inbox;

    /** Meta's answer to the re-permission template never comes (longer than the client's 2 s read timeout). */
    @Test
    void aQuestionWhoseAnswerNeverCameIsNotAskedAgainAndItsJaStillConfirms() {
        Api owner = Api.newUser("reperm-lost");
        String slug = owner.createWorkspace("reperm-lost");
        String tenantId = tenancy.findBySlug(slug).orElseThrow().id;
        String phoneNumberId = String.valueOf(System.nanoTime());
        String waba = String.valueOf(System.nanoTime() + 1);
        GraphMock.ownedNumber(phoneNumberId, waba, "EAAG-reperm-token"); // saving the channel asks Meta
        owner.req().body(Map.of("type", "cloud-api", "phoneNumberId", phoneNumberId, "businessAccountId", waba,
                "displayPhoneNumber", "+49 30 1234569", "accessToken", "EAAG-reperm-token"))
                .put("/api/tenants/" + slug + "/channel").then().statusCode(200);
        GraphMock.server().stubFor(get(urlPathEqualTo("/v23.0/" + waba + "/message_templates"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"data":[{"id":"77","name":"subscription_confirm","language":"de","status":"APPROVED",
                          "category":"UTILITY","components":[{"type":"BODY","text":"Bitte bestätigen Sie {{1}}."},
                          {"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Ja"},
                          {"type":"QUICK_REPLY","text":"Nein"}]}]}]}""")));
        owner.req().post("/api/tenants/" + slug + "/templates/sync").then().statusCode(200);
        String messages = "/v23.0/" + phoneNumberId + "/messages";
        GraphMock.server().stubFor(post(urlEqualTo(messages)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withFixedDelay(3_000)
                .withBody("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.lost\"}]}")));
        UUID listId = UUID.fromString(owner.req().body(Fixtures.germanList("morgen", "MORGEN"))
                .post("/api/tenants/" + slug + "/lists").then().statusCode(201).extract().path("id"));
        assertEquals(1, Imports.importAndWait(owner, slug, "morgen", "phone\n0151 00001003\n")
                .getInt("imported"));

        owner.req().post("/api/tenants/" + slug + "/lists/morgen/repermission").then().statusCode(200)
                .body("asked", equalTo(0)).body("outcomeUnknown", equalTo(1)).body("stillImported", equalTo(1));
        // The second run must not send the template blindly again: the reader may already have it.
        owner.req().post("/api/tenants/" + slug + "/lists/morgen/repermission").then().statusCode(200)
                .body("asked", equalTo(0)).body("outcomeUnknown", equalTo(0))
                .body("notAsked.'already asked, waiting for the answer'", equalTo(1));
        GraphMock.server().verify(1, postRequestedFor(urlEqualTo(messages))
                .withRequestBody(matchingJsonPath("$.template.name",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo("subscription_confirm"))));

        EventView requested = scope.call(tenantId, () -> subscribers.events(subscribers.findByPhone("+4915100001003")
                .orElseThrow().id())).stream().filter(e -> e.type() == ConsentEventType.REPERMISSION_REQUESTED)
                .findFirst().orElseThrow();
        assertTrue(requested.sourceDetail().contains("message outcome unknown"), requested.sourceDetail());

        // The message did arrive after all: the reader's "JA" confirms the open request.
        String ja = WhatsAppSimulator.send(phoneNumberId, "4915100001003", "JA", java.time.Instant.now());
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            inbox.processPending();
            assertEquals(Optional.of(ConsentStatus.CONFIRMED), state(tenantId, "+4915100001003", listId), ja);
        });
    }

    @Inject
    jakarta.persistence.EntityManager em;

    /**
     * The question is a business-initiated template (outside any window: imported readers never wrote): it takes a
     * place in the portfolio's messaging limit before it is sent, a refused one gives it back, and without a place it
     * is not sent and the report says so and from when.
     */
    @Test
    void theQuestionReservesAPlaceInTheMessagingLimitGivesItBackWhenRefusedAndIsNotSentWithoutOne() {
        Api owner = Api.newUser("reperm-limit");
        String slug = owner.createWorkspace("reperm-limit");
        String tenantId = tenancy.findBySlug(slug).orElseThrow().id;
        String phoneNumberId = String.valueOf(System.nanoTime());
        String waba = String.valueOf(System.nanoTime() + 1);
        GraphMock.ownedNumber(phoneNumberId, waba, "EAAG-limit-token");
        owner.req().body(Map.of("type", "cloud-api", "phoneNumberId", phoneNumberId, "businessAccountId", waba,
                "displayPhoneNumber", "+49 30 1234568", "accessToken", "EAAG-limit-token"))
                .put("/api/tenants/" + slug + "/channel").then().statusCode(200);
        GraphMock.server().stubFor(get(urlPathEqualTo("/v23.0/" + waba + "/message_templates"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"data":[{"id":"78","name":"subscription_confirm","language":"de","status":"APPROVED",
                          "category":"UTILITY","components":[{"type":"BODY","text":"Bitte bestätigen Sie {{1}}."},
                          {"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Ja"},
                          {"type":"QUICK_REPLY","text":"Nein"}]}]}]}""")));
        owner.req().post("/api/tenants/" + slug + "/templates/sync").then().statusCode(200);
        owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists").then()
                .statusCode(201);
        assertEquals(2, Imports.importAndWait(owner, slug, "morgen", "phone\n0151 00002001\n0151 00002002\n")
                .getInt("imported"));
        int max = owner.req().get("/api/tenants/" + slug + "/channel/messaging-limit").then().statusCode(200)
                .extract().path("limit");
        // The portfolio reached all but one elsewhere an hour ago: room for one new reader.
        scope.platform(() -> em.createNativeQuery("insert into whatsapp_portfolio_sends (business_account_id,"
                + " tenant_id, phone_number_id, recipient, sent_at) select ?1, ?2, 'elsewhere', 'x' || g, ?3"
                + " from generate_series(1, ?4) g").setParameter(1, waba).setParameter(2, tenantId)
                .setParameter(3, java.time.OffsetDateTime.now().minusHours(1)).setParameter(4, max - 1)
                .executeUpdate());
        String messages = "/v23.0/" + phoneNumberId + "/messages";
        GraphMock.server().stubFor(post(urlEqualTo(messages)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"Message Undeliverable.\",\"type\":\"OAuthException\","
                        + "\"code\":131026,\"fbtrace_id\":\"x\"}}")));

        // Meta refuses both: the first one's place is given back, so the second is sent (and refused) too.
        owner.req().post("/api/tenants/" + slug + "/lists/morgen/repermission").then().statusCode(200)
                .body("asked", equalTo(0)).body("notAsked.'not sent: PERMANENT_RECIPIENT 131026'", equalTo(2))
                .body("capacityFrom", org.hamcrest.Matchers.nullValue());
        GraphMock.server().verify(2, postRequestedFor(urlEqualTo(messages)));
        owner.req().get("/api/tenants/" + slug + "/channel/messaging-limit").then().body("remaining", equalTo(1));

        // Meta accepts now: one place, so one reader is asked, the other is not sent and the report says when.
        GraphMock.server().stubFor(post(urlEqualTo(messages)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.limit1\"}]}")));
        owner.req().post("/api/tenants/" + slug + "/lists/morgen/repermission").then().statusCode(200)
                .body("asked", equalTo(1)).body("notAsked.'messaging limit reached'", equalTo(1))
                .body("capacityFrom", org.hamcrest.Matchers.notNullValue());
        GraphMock.server().verify(3, postRequestedFor(urlEqualTo(messages)));
        owner.req().get("/api/tenants/" + slug + "/channel/messaging-limit").then().body("remaining", equalTo(0));
    }

    @Test
    void importedReadersConfirmByTappingTheButtonOfTheRepermissionTemplate() {
        Api owner = Api.newUser("reperm");
        String slug = owner.createWorkspace("reperm");
        String tenantId = tenancy.findBySlug(slug).orElseThrow().id;
        UUID listId = UUID.fromString(owner.req().body(Fixtures.germanList("morgen", "MORGEN"))
                .post("/api/tenants/" + slug + "/lists").then().statusCode(201).extract().path("id"));
        assertEquals(2, Imports.importAndWait(owner, slug, "morgen", "phone\n0151 00001001\n0151 00001002\n")
                .getInt("imported"));

        owner.req().post("/api/tenants/" + slug + "/lists/morgen/repermission").then().statusCode(200)
                .body("asked", equalTo(2)).body("template", equalTo("subscription_confirm"));
        // Asking twice does not ask again while the answer is pending.
        owner.req().post("/api/tenants/" + slug + "/lists/morgen/repermission").then().statusCode(200)
                .body("asked", equalTo(0));

        SandboxPhone.Conversation conversation = scope.call(tenantId, () -> phone.conversations().stream()
                .filter(c -> c.number().equals("4915100001001")).findFirst().orElseThrow());
        SandboxPhone.Bubble ask = conversation.bubbles().get(0);
        assertTrue(ask.text().contains("Morgenbriefing"), ask.text());
        scope.run(tenantId, () -> phone.tap("4915100001001", ask.messageId(), 0));

        assertEquals(Optional.of(ConsentStatus.CONFIRMED), state(tenantId, "+4915100001001", listId));
        assertTrue(scope.call(tenantId, () -> subscribers.events(subscribers.findByPhone("+4915100001001")
                .orElseThrow().id())).stream().anyMatch(e -> e.type() == ConsentEventType.REPERMISSION_REQUESTED));
        assertEquals(Optional.of(ConsentStatus.IMPORTED), state(tenantId, "+4915100001002", listId),
                "no answer, no consent");
    }

    private Optional<ConsentStatus> state(String tenantId, String e164, UUID listId) {
        return scope.call(tenantId, () -> subscribers.findByPhone(e164).flatMap(s -> consent.stateOf(s.id(), listId)));
    }
}
