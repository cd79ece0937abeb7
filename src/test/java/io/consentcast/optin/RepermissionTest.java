package io.consentcast.optin;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentcast.consent.ConsentEventType;
import io.consentcast.consent.ConsentService;
import io.consentcast.consent.ConsentStatus;
import io.consentcast.consent.SubscriberService;
import io.consentcast.tenancy.TenancyService;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.whatsapp.SandboxPhone;
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
