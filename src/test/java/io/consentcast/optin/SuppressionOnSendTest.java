package io.consentcast.optin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentcast.consent.ConsentEventType;
import io.consentcast.consent.ConsentService;
import io.consentcast.consent.ConsentStatus;
import io.consentcast.consent.EventSource;
import io.consentcast.consent.NewEvent;
import io.consentcast.consent.SubscriberService;
import io.consentcast.tenancy.TenancyService;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.whatsapp.ChannelService;
import io.consentcast.whatsapp.GraphMock;
import io.consentcast.whatsapp.OutgoingMessage;
import io.consentcast.whatsapp.SendResult;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** Meta's 131050 on a send ("the user stopped marketing messages") suppresses the reader in the ledger. */
@QuarkusTest
class SuppressionOnSendTest {

    @Inject
    TenantScope scope;

    @Inject
    TenancyService tenancy;

    @Inject
    ConsentService consent;

    @Inject
    SubscriberService subscribers;

    @Inject
    ChannelService channel;

    @Test
    void aRefusedMarketingSendSuppressesTheReader() throws Exception {
        Api owner = Api.newUser("refused");
        String slug = owner.createWorkspace("refused");
        String tenantId = tenancy.findBySlug(slug).orElseThrow().id;
        String phoneNumberId = String.valueOf(System.nanoTime());
        GraphMock.ownedNumber(phoneNumberId, "1029", "EAAG-test-token");
        owner.req().body(Map.of("type", "cloud-api", "phoneNumberId", phoneNumberId, "businessAccountId", "1029",
                "displayPhoneNumber", "+49 30 1234568", "accessToken", "EAAG-test-token"))
                .put("/api/tenants/" + slug + "/channel").then().statusCode(200);
        String body = new String(getClass().getResourceAsStream("/whatsapp/error-131050.json").readAllBytes(),
                StandardCharsets.UTF_8);
        GraphMock.server().stubFor(post(urlEqualTo("/v23.0/" + phoneNumberId + "/messages"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody(body)));
        UUID listId = UUID.fromString(owner.req().body(Fixtures.germanList("morgen", "MORGEN"))
                .post("/api/tenants/" + slug + "/lists").then().statusCode(201).extract().path("id"));
        scope.run(tenantId, () -> consent.append(NewEvent.of(consent.subscriberFor("+4915100003001").id(),
                ConsentEventType.CONFIRMED, EventSource.WHATSAPP).forList(listId)
                .withConsentText(consent.currentConsentText(listId).orElseThrow().id())
                .withWhatsApp("wamid.ok", java.time.Instant.now())));

        SendResult result = scope.call(tenantId, () -> QuarkusTransaction.suspendingExisting().call(
                () -> channel.send(new OutgoingMessage.Template("4915100003001", "morning_briefing", "de",
                        List.of("Montag"), List.of()))));

        assertInstanceOf(SendResult.Failed.class, result);
        assertEquals(Optional.of(ConsentStatus.SUPPRESSED), scope.call(tenantId, () -> subscribers
                .findByPhone("+4915100003001").flatMap(s -> consent.stateOf(s.id(), listId))));
        assertTrue(scope.call(tenantId, () -> subscribers.events(subscribers.findByPhone("+4915100003001")
                .orElseThrow().id())).stream().anyMatch(e -> e.type() == ConsentEventType.SUPPRESSED
                        && e.reason().contains("131050")));
    }
}
