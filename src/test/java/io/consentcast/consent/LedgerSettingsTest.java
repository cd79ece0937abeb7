package io.consentcast.consent;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.consentcast.consent.Views.EventView;
import io.consentcast.consent.Views.SubscriberView;
import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.TestClock;
import io.quarkus.test.junit.QuarkusTest;

/** Workspace settings for evidence, and the retention that deletes evidence of withdrawn consents. */
@QuarkusTest
class LedgerSettingsTest {

    @Inject
    LedgerFixture fx;

    @Inject
    ConsentService consent;

    @Inject
    LedgerSettingsService settings;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private final UUID list = UUID.randomUUID();

    private EventView request(String slug, SubscriberView s, boolean truncate) {
        return fx.in(slug, () -> consent.append(NewEvent.of(s.id(), ConsentEventType.REQUESTED,
                EventSource.LANDING_PAGE).forList(list).withClient("203.0.113.200", truncate, "Edge")));
    }

    @Test
    void settingsDecideWhatEvidenceIsKept() {
        Api owner = Api.newUser("settings");
        String slug = owner.createWorkspace("settings");
        String base = "/api/tenants/" + slug + "/ledger-settings";
        owner.req().get(base).then().statusCode(200).body("recordClientData", equalTo(true))
                .body("truncateIp", equalTo(false)).body("retentionMonths", equalTo(36));
        SubscriberView s = fx.in(slug, () -> consent.subscriberFor("+4915177778888"));
        assertEquals("203.0.113.200", request(slug, s, false).ip());

        owner.req().body(Map.of("recordClientData", true, "truncateIp", true, "retentionMonths", 24)).put(base)
                .then().statusCode(200).body("truncateIp", equalTo(true));
        assertEquals("203.0.113.0", request(slug, s, false).ip(), "the workspace truncates every IP address");

        owner.req().body(Map.of("recordClientData", false, "truncateIp", true, "retentionMonths", 24)).put(base)
                .then().statusCode(200);
        EventView without = request(slug, s, false);
        assertNull(without.ip());
        assertNull(without.userAgent());
        assertNull(without.evidenceDigest());

        owner.req().body(Map.of("truncateIp", true, "retentionMonths", 0)).put(base).then().statusCode(400)
                .body("errors.recordClientData", equalTo("Choose true or false."))
                .body("errors.retentionMonths", equalTo("Choose a retention period from 1 to 120 months."));
        Api editor = Api.newUser("editor");
        owner.addMember(slug, editor, "EDITOR");
        editor.req().body(Map.of("recordClientData", true, "truncateIp", false, "retentionMonths", 36)).put(base)
                .then().statusCode(403);
        owner.req().get("/api/tenants/" + slug + "/activity").then()
                .body("action", hasItem("ledger-settings.changed"));
    }

    @Test
    void evidenceOfLongWithdrawnConsentsIsPurgedAndTheLedgerStillVerifies() {
        Api owner = Api.newUser("retention");
        String slug = owner.createWorkspace("retention");
        SubscriberView left = fx.in(slug, () -> consent.subscriberFor("+4915111112222"));
        SubscriberView stays = fx.in(slug, () -> consent.subscriberFor("+4915133334444"));
        request(slug, left, false);
        request(slug, stays, false);
        fx.run(slug, () -> {
            consent.append(NewEvent.of(left.id(), ConsentEventType.WITHDRAWN, EventSource.WHATSAPP)
                    .withWhatsApp("wamid.stop", null));
            consent.append(NewEvent.of(stays.id(), ConsentEventType.CONFIRMED, EventSource.WHATSAPP).forList(list)
                    .withWhatsApp("wamid.yes", null));
        });
        assertEquals(0, fx.in(slug, () -> settings.purgeExpiredEvidence()), "within the retention period");
        assertNotNull(firstEvent(owner, slug, left).get("ip"));

        clock.advance(Duration.ofDays(37 * 31));
        assertEquals(1, fx.in(slug, () -> settings.purgeExpiredEvidence()));
        Map<String, Object> purged = firstEvent(owner, slug, left);
        assertNull(purged.get("ip"));
        assertNotNull(purged.get("evidenceDigest"), "the commitment stays in the ledger");
        assertEquals("203.0.113.200", firstEvent(owner, slug, stays).get("ip"),
                "evidence of a consent still in force is kept");
        owner.req().get("/api/tenants/" + slug + "/consent-events/verify").then()
                .body("valid", equalTo(true)).body("events", equalTo(4));
        owner.req().get("/api/tenants/" + slug + "/activity").then()
                .body("action", hasItem("evidence.purged"));
        assertTrue(fx.in(slug, () -> settings.purgeExpiredEvidence()) == 0, "nothing left to purge");
    }

    @Inject
    LedgerCheckpoints checkpoints;

    @Test
    void theDailyAndHourlyJobsRunForEveryWorkspace() {
        Api owner = Api.newUser("jobs");
        String slug = owner.createWorkspace("jobs");
        SubscriberView s = fx.in(slug, () -> consent.subscriberFor("+4915166667777"));
        request(slug, s, false);
        fx.run(slug, () -> consent.append(NewEvent.of(s.id(), ConsentEventType.WITHDRAWN, EventSource.WHATSAPP)
                .withWhatsApp("wamid.stop", null)));
        checkpoints.checkpointAll();
        owner.req().get("/api/tenants/" + slug + "/consent-events/checkpoints").then().statusCode(200)
                .body("[0].seq", equalTo(1)).body("[0].heads", equalTo(1));
        clock.advance(Duration.ofDays(40 * 31));
        settings.purgeAll();
        assertNull(firstEvent(owner, slug, s).get("ip"));
        owner.req().get("/api/tenants/" + slug + "/consent-events/verify").then().body("valid", equalTo(true));
    }

    /** The subscriber's first event as the workspace's owner reads it (IP address included: ADMIN and OWNER). */
    private static Map<String, Object> firstEvent(Api owner, String slug, SubscriberView s) {
        return owner.req().get("/api/tenants/" + slug + "/subscribers/" + s.publicId() + "/events").then()
                .statusCode(200).extract().path("[0]");
    }
}
