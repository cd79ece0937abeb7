package io.consentcast.optin;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ImportTest {

    @Inject
    TenantScope scope;

    @Inject
    TenancyService tenancy;

    @Inject
    ConsentService consent;

    @Inject
    SubscriberService subscribers;

    @Test
    void importedReadersAreImportedNotConfirmedAndEveryRejectedRowHasAReason() {
        Api owner = Api.newUser("import");
        String slug = owner.createWorkspace("import");
        String tenantId = tenancy.findBySlug(slug).orElseThrow().id;
        UUID listId = UUID.fromString(owner.req().body(Fixtures.germanList("morgen", "MORGEN"))
                .post("/api/tenants/" + slug + "/lists").then().statusCode(201).extract().path("id"));
        // Someone who withdrew before must not be revived by an import.
        scope.run(tenantId, () -> consent.append(NewEvent.of(consent.subscriberFor("+4915100000003").id(),
                ConsentEventType.WITHDRAWN, EventSource.WHATSAPP).withWhatsApp("wamid.stop", java.time.Instant.now())));

        String csv = """
                phone,opted_in_at,source,consent_text
                0151 00000001,2023-04-01,Gewinnspiel Stadtfest,Ja ich will den Newsletter
                +49 151 00000002,,Abo-Formular 2021,
                12,,,
                0151 00000001,,,
                0151 00000004,yesterday,,
                0151 00000003,,,
                """;
        owner.req().contentType("text/csv").body(csv).queryParam("dryRun", true)
                .post("/api/tenants/" + slug + "/lists/morgen/imports").then().statusCode(200)
                .body("dryRun", equalTo(true)).body("imported", equalTo(2));
        assertEquals(Optional.empty(), state(tenantId, "+4915100000001", listId), "a dry run stores nothing");

        owner.req().contentType("text/csv").body(csv)
                .post("/api/tenants/" + slug + "/lists/morgen/imports").then().statusCode(200)
                .body("rows", equalTo(6)).body("imported", equalTo(2))
                .body("rejected.row", hasItems(4, 5, 6, 7))
                .body("rejected.find { it.row == 4 }.reason", equalTo("invalid phone number"))
                .body("rejected.find { it.row == 5 }.reason", equalTo("duplicate in this file"))
                .body("rejected.find { it.row == 7 }.reason", equalTo("withdrew consent earlier: not imported"));
        assertEquals(Optional.of(ConsentStatus.IMPORTED), state(tenantId, "+4915100000001", listId));
        assertEquals(Optional.of(ConsentStatus.WITHDRAWN), state(tenantId, "+4915100000003", listId));
    }

    @Test
    void aFileWithoutPhoneColumnIsRefusedWhole() {
        Api owner = Api.newUser("import2");
        String slug = owner.createWorkspace("import2");
        owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists")
                .then().statusCode(201);
        owner.req().contentType("text/csv").body("number\n0151 00000009\n")
                .post("/api/tenants/" + slug + "/lists/morgen/imports").then().statusCode(400)
                .body("detail", equalTo("The file needs a header row with a column named phone."));
    }

    private Optional<ConsentStatus> state(String tenantId, String phone, UUID listId) {
        return scope.call(tenantId, () -> subscribers.findByPhone(phone).flatMap(s -> consent.stateOf(s.id(), listId)));
    }
}
