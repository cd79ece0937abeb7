package io.consentcast.optin;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
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
import io.restassured.path.json.JsonPath;

/** Imports through the API: the upload becomes a job (202), the job applies the consent rules in the background. */
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
        String preview = Imports.submit(owner, slug, "morgen", csv, true);
        JsonPath dry = Imports.await(owner, preview, Duration.ofSeconds(60));
        assertEquals("DONE", dry.getString("state"));
        assertTrue(dry.getBoolean("dryRun"));
        assertEquals(2, dry.getInt("imported"));
        assertEquals(Optional.empty(), state(tenantId, "+4915100000001", listId), "a dry run stores nothing");

        JsonPath job = Imports.importAndWait(owner, slug, "morgen", csv);
        assertEquals("DONE", job.getString("state"));
        assertEquals(6, job.getInt("rows"));
        assertEquals(6, job.getInt("processed"));
        assertEquals(2, job.getInt("imported"));
        assertEquals(4, job.getInt("rejectedRows"));
        assertEquals(List.of(4, 5, 6, 7), job.getList("rejected.row", Integer.class));
        assertEquals("invalid phone number", job.getString("rejected.find { it.row == 4 }.reason"));
        assertEquals("duplicate in this file", job.getString("rejected.find { it.row == 5 }.reason"));
        assertEquals("opted_in_at is not a date (use 2024-05-31)", job.getString("rejected.find { it.row == 6 }.reason"));
        assertEquals("withdrew consent earlier: not imported", job.getString("rejected.find { it.row == 7 }.reason"));
        assertEquals("12", job.getString("rejected.find { it.row == 4 }.phone"));
        assertEquals(Optional.of(ConsentStatus.IMPORTED), state(tenantId, "+4915100000001", listId));
        assertEquals(Optional.of(ConsentStatus.WITHDRAWN), state(tenantId, "+4915100000003", listId));

        // The IMPORTED event carries the publisher's evidence and the file row.
        String id = owner.req().queryParam("state", "IMPORTED").get("/api/tenants/" + slug + "/subscribers").then()
                .body("total", equalTo(2)).extract().path("items.find { it.phone == '+4915100000001' }.id");
        owner.req().get("/api/tenants/" + slug + "/subscribers/" + id + "/events").then().statusCode(200)
                .body("find { it.type == 'IMPORTED' }.sourceDetail", equalTo("api upload, row 2"))
                .body("find { it.type == 'IMPORTED' }.reason", equalTo("publisher's evidence: opted in"
                        + " 2023-04-01T00:00:00Z; source: Gewinnspiel Stadtfest; consent text: Ja ich will den Newsletter"));

        // Importing the same file again takes nobody twice.
        JsonPath again = Imports.importAndWait(owner, slug, "morgen", csv);
        assertEquals(0, again.getInt("imported"));
        assertEquals("already imported", again.getString("rejected.find { it.row == 2 }.reason"));

        // The list's jobs, newest first; the job's address is the one the 202 named.
        owner.req().get("/api/tenants/" + slug + "/lists/morgen/imports").then().statusCode(200)
                .body("size()", equalTo(3)).body("[0].id", equalTo(again.getString("id")));
    }

    @Test
    void aJobOfAnotherListOrAnUnknownIdIsNotFound() {
        Api owner = Api.newUser("import3");
        String slug = owner.createWorkspace("import3");
        owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists")
                .then().statusCode(201);
        owner.req().body(Fixtures.germanList("abend", "ABEND")).post("/api/tenants/" + slug + "/lists")
                .then().statusCode(201);
        String location = Imports.submit(owner, slug, "morgen", "phone\n0151 00000301\n", false);
        String id = location.substring(location.lastIndexOf('/') + 1);
        owner.req().get("/api/tenants/" + slug + "/lists/abend/imports/" + id).then().statusCode(404);
        owner.req().get("/api/tenants/" + slug + "/lists/morgen/imports/" + UUID.randomUUID()).then().statusCode(404);
        owner.req().get("/api/tenants/" + slug + "/lists/morgen/imports/not-a-uuid").then().statusCode(404)
                .contentType("application/problem+json");
        owner.req().get("/api/tenants/" + slug + "/lists/nope/imports").then().statusCode(404);
        Api stranger = Api.newUser("import3b");
        stranger.createWorkspace("import3b");
        stranger.req().get(location).then().statusCode(404);
    }

    private Optional<ConsentStatus> state(String tenantId, String phone, UUID listId) {
        return scope.call(tenantId, () -> subscribers.findByPhone(phone).flatMap(s -> consent.stateOf(s.id(), listId)));
    }
}
