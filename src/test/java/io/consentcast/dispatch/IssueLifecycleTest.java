package io.consentcast.dispatch;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentcast.consent.ConsentEventType;
import io.consentcast.dispatch.DispatchFixture.Workspace;
import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Composing, validation, roles and the status machine, against the sandbox channel. */
@QuarkusTest
class IssueLifecycleTest {

    @Inject
    DispatchFixture fx;

    @Inject
    io.consentcast.whatsapp.RecordedEvents events;

    @Inject
    io.consentcast.testsupport.TestClock clock;

    private static Map<String, Object> body(String list, String template, List<String> params, String at) {
        Map<String, Object> b = new HashMap<>();
        b.put("list", list);
        b.put("title", "Morgenbriefing Montag");
        b.put("template", Map.of("name", template, "language", "de", "parameters", params));
        if (at != null) {
            b.put("scheduledAt", at);
        }
        return b;
    }

    @Test
    void badInputIsRefusedWithAMessagePerField() {
        Workspace w = fx.workspace("iss-bad");
        Workspace other = fx.workspace("iss-other");
        other.owner().req().body(Fixtures.germanList("andere", "ANDERE")).post("/api/tenants/" + other.slug() + "/lists")
                .then().statusCode(201);

        w.owner().req().body(body("andere", "newsletter_issue", List.of("x"), null)).post(w.issues()).then()
                .statusCode(400).body("errors.list", equalTo("Choose one of this workspace's lists."));
        w.owner().req().body(body("morgen", "no_such_template", List.of("x"), null)).post(w.issues()).then()
                .statusCode(400).body("errors.template", notNullValue());
        w.owner().req().body(body("morgen", "newsletter_issue", List.of("a", "b"), null)).post(w.issues()).then()
                .statusCode(400)
                .body("errors.'template.parameters'", equalTo("The number of values does not match the template's variables."));
        String past = OffsetDateTime.now(ZoneOffset.ofHours(1)).minusHours(1).withNano(0).toString();
        w.owner().req().body(body("morgen", "newsletter_issue", List.of("x"), past)).post(w.issues()).then()
                .statusCode(400).body("errors.scheduledAt", equalTo("The time lies in the past."));

        Map<String, Object> utility = Fixtures.germanList("alarm", "ALARM");
        utility.put("purpose", "UTILITY");
        w.owner().req().body(utility).post("/api/tenants/" + w.slug() + "/lists").then().statusCode(201);
        w.owner().req().body(body("alarm", "newsletter_issue", List.of("x"), null)).post(w.issues()).then()
                .statusCode(400).body("errors.template", equalTo("A MARKETING template cannot be sent to a UTILITY list."));
    }

    @Test
    void theDispatchSettingsAreCheckedAndOnlyAdminsChangeThem() {
        Workspace w = fx.workspace("iss-settings");
        String url = "/api/tenants/" + w.slug() + "/dispatch-settings";
        w.owner().req().body(Map.of("ratePerSecond", 1001, "sendingHoursStart", "25:00", "consentExpiryMonths", 0))
                .put(url).then().statusCode(400)
                .body("errors.ratePerSecond", equalTo("The rate must be between 1 and 1,000 messages per second."))
                .body("errors.sendingHoursStart", equalTo("Enter a time as HH:mm."))
                .body("errors.consentExpiryMonths", notNullValue());
        w.owner().req().body(Map.of("ratePerSecond", 1000)).put(url).then().statusCode(200)
                .body("ratePerSecond", equalTo(1000)).body("consentExpiryMonths", equalTo(24))
                .body("timezone", equalTo("Europe/Berlin"));
        Api editor = Api.newUser("set-editor");
        w.owner().addMember(w.slug(), editor, "EDITOR");
        editor.req().body(Map.of("ratePerSecond", 10)).put(url).then().statusCode(403);
        editor.req().get(url).then().statusCode(200).body("ratePerSecond", equalTo(1000));
    }

    @Test
    void editorsComposeButOnlyAdminsSendAndSchedule() {
        Workspace w = fx.workspace("iss-roles");
        Api editor = Api.newUser("editor");
        w.owner().addMember(w.slug(), editor, "EDITOR");
        String id = editor.req().body(body("morgen", "newsletter_issue", List.of("x"), null)).post(w.issues()).then()
                .statusCode(201).body("status", equalTo("DRAFT")).extract().path("id");
        String future = OffsetDateTime.now(ZoneOffset.ofHours(1)).plusDays(2).withNano(0).toString();
        editor.req().body(body("morgen", "newsletter_issue", List.of("x"), future)).post(w.issues()).then()
                .statusCode(403);
        editor.req().post(w.issues() + "/" + id + "/send").then().statusCode(403);
        editor.req().body(Map.of("scheduledAt", future)).post(w.issues() + "/" + id + "/schedule").then()
                .statusCode(403);
        w.owner().req().body(Map.of("scheduledAt", future)).post(w.issues() + "/" + id + "/schedule").then()
                .statusCode(200).body("status", equalTo("SCHEDULED"));
    }

    @Test
    void aScheduledIssueShowsItsTimeInTheWorkspaceZoneAndCanBePausedResumedAndCancelled() {
        Workspace w = fx.workspace("iss-sched");
        String at = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).withHour(5).withMinute(30).withSecond(0)
                .withNano(0).toString();
        String id = w.owner().req().body(body("morgen", "newsletter_issue", List.of("Montag"), at)).post(w.issues())
                .then().statusCode(201).body("status", equalTo("SCHEDULED")).extract().path("id");
        String shown = w.owner().req().get(w.issues() + "/" + id).then().statusCode(200).extract().path("scheduledAt");
        // Europe/Berlin: 05:30 UTC is 06:30 or 07:30 local.
        assertTrue(shown.contains("T06:30") || shown.contains("T07:30"), shown);

        w.owner().req().post(w.issues() + "/" + id + "/pause").then().statusCode(200).body("status", equalTo("PAUSED"));
        w.owner().req().post(w.issues() + "/" + id + "/resume").then().statusCode(200)
                .body("status", equalTo("SCHEDULED"));
        w.owner().req().post(w.issues() + "/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("CANCELLED"));
        w.owner().req().post(w.issues() + "/" + id + "/resume").then().statusCode(409);
    }

    @Test
    void outsideTheSendingHoursTheIssueIsBlockedWithTheReasonAndContinuesOnceFixed() {
        Workspace w = fx.workspace("iss-hours");
        fx.confirmed(w, DispatchFixture.number());
        // Sending hours of one minute that is certainly not now.
        OffsetDateTime berlin = OffsetDateTime.now(java.time.ZoneId.of("Europe/Berlin").getRules()
                .getOffset(java.time.Instant.now()));
        String start = String.format("%02d:00", (berlin.getHour() + 12) % 24);
        String end = String.format("%02d:01", (berlin.getHour() + 12) % 24);
        w.owner().req().body(Map.of("sendingHoursStart", start, "sendingHoursEnd", end))
                .put("/api/tenants/" + w.slug() + "/dispatch-settings").then().statusCode(200);
        String id = fx.draft(w, "Abend");
        w.owner().req().post(w.issues() + "/" + id + "/send").then().statusCode(200)
                .body("status", equalTo("BLOCKED"));
        w.owner().req().get(w.issues() + "/" + id).then().statusCode(200)
                .body("blockedReason", equalTo("dispatch.blocked-outside-hours"))
                .body("blockedMessage", equalTo("Outside the workspace's sending hours; sending starts when they begin."));

        w.owner().req().body(Map.of("sendingHoursStart", "00:00", "sendingHoursEnd", "00:00"))
                .put("/api/tenants/" + w.slug() + "/dispatch-settings").then().statusCode(200);
        // The re-check is due after consentcast.dispatch.recheck; move the job's time by running after it.
        try (Dispatcher d = fx.dispatcher("hours", 4)) {
            fx.advanceJobs(w);
            assertEquals("DONE", fx.drain(d, w, id));
        }
        w.owner().req().get(w.issues() + "/" + id).then().statusCode(200).body("counts.sent", equalTo(1))
                .body("blockedReason", nullValue());
    }

    @Test
    void everyConfirmedReaderGetsTheIssueOnceAndEveryOtherOneIsExcludedWithTheReason() {
        Workspace w = fx.workspace("iss-gate");
        UUID ok1 = fx.confirmed(w, DispatchFixture.number());
        UUID ok2 = fx.confirmed(w, DispatchFixture.number());
        UUID withdrawn = fx.confirmed(w, DispatchFixture.number());
        UUID suppressed = fx.confirmed(w, DispatchFixture.number());
        UUID erased = fx.confirmed(w, DispatchFixture.number());
        UUID notYet = fx.confirmed(w, DispatchFixture.number());
        String id = fx.draft(w, "Gate");
        w.owner().req().post(w.issues() + "/" + id + "/send").then().statusCode(200).body("status", equalTo("PREPARING"));
        fx.prepare(w, id);
        // After the audience was taken, consent changes: the gate at send time decides.
        fx.event(w, withdrawn, ConsentEventType.WITHDRAWN, false);
        fx.event(w, suppressed, ConsentEventType.SUPPRESSED, true);
        fx.erase(w, erased);
        fx.event(w, notYet, ConsentEventType.REQUESTED, false);

        try (Dispatcher d = fx.dispatcher("gate", 4)) {
            assertEquals("DONE", fx.drain(d, w, id));
        }
        JsonPath issue = w.owner().req().get(w.issues() + "/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals(6, issue.getInt("counts.eligible") + issue.getInt("counts.excluded"));
        assertEquals(2, issue.getInt("counts.sent"));
        assertEquals(4, issue.getInt("counts.excluded"));
        assertEquals(Map.of("withdrawn", 1, "suppressed", 1, "erased", 1, "not-confirmed", 1),
                issue.getMap("excludedByReason"));

        JsonPath sent = w.owner().req().get(w.issues() + "/" + id + "/deliveries?state=SENT").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(2, sent.getInt("total"));
        List<Map<String, Object>> items = sent.getList("items");
        for (Map<String, Object> item : items) {
            assertNotNull(item.get("consentEventId"), "a sent message names the consent that justified it");
            assertTrue(String.valueOf(item.get("providerMessageId")).startsWith("wamid.SANDBOX."));
            assertTrue(List.of(ok1.toString(), ok2.toString()).contains(item.get("subscriberId")));
        }
        w.owner().req().get(w.issues() + "/" + id + "/deliveries?state=EXCLUDED").then().statusCode(200)
                .body("items[0]", hasKey("reason")).body("total", equalTo(4));
        // The sandbox answers like Meta: status webhooks that echo each message's callback data, naming its delivery.
        for (Map<String, Object> item : items) {
            String wamid = (String) item.get("providerMessageId");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> events
                    .statuses(w.tenantId()).stream().anyMatch(e -> wamid.equals(e.providerMessageId())));
            assertTrue(events.statuses(w.tenantId()).stream().filter(e -> wamid.equals(e.providerMessageId()))
                    .allMatch(e -> ("consentcast:delivery:" + item.get("id")).equals(e.callbackData())));
        }
    }

    @Test
    void aReaderWhoseConsentIsOlderThanTheWorkspaceSettingIsExcludedAsExpired() {
        Workspace w = fx.workspace("iss-expired");
        fx.confirmed(w, DispatchFixture.number());
        w.owner().req().body(Map.of("consentExpiryMonths", 1)).put("/api/tenants/" + w.slug() + "/dispatch-settings")
                .then().statusCode(200);
        String id = fx.draft(w, "Alt");
        // Two months later nobody has written: the consent has expired for sending.
        clock.advance(java.time.Duration.ofDays(62));
        try {
            w.owner().req().post(w.issues() + "/" + id + "/send").then().statusCode(200);
            try (Dispatcher d = fx.dispatcher("expired", 2)) {
                assertEquals("DONE", fx.drain(d, w, id));
            }
        } finally {
            clock.reset();
        }
        w.owner().req().get(w.issues() + "/" + id).then().body("excludedByReason.expired", equalTo(1))
                .body("counts.sent", equalTo(0));
    }

    @Test
    void aScheduledIssueStartsAtItsTimeOnExactlyOneOfTwoInstances() throws Exception {
        Workspace w = fx.workspace("iss-due");
        for (int i = 0; i < 8; i++) {
            fx.confirmed(w, DispatchFixture.number());
        }
        String at = OffsetDateTime.now(ZoneOffset.ofHours(1)).plusMinutes(10).withNano(0).toString();
        String id = w.owner().req().body(body("morgen", "newsletter_issue", List.of("Früh"), at)).post(w.issues())
                .then().statusCode(201).body("status", equalTo("SCHEDULED")).extract().path("id");
        try (Dispatcher a = fx.dispatcher("due-a", 4); Dispatcher b = fx.dispatcher("due-b", 4)) {
            a.runOnce();
            assertEquals("SCHEDULED", fx.status(w, id), "not before its time");
            clock.advance(java.time.Duration.ofMinutes(11));
            try {
                var ra = java.util.concurrent.CompletableFuture.supplyAsync(() -> fx.drain(a, w, id));
                var rb = java.util.concurrent.CompletableFuture.supplyAsync(() -> fx.drain(b, w, id));
                assertEquals("DONE", ra.get());
                assertEquals("DONE", rb.get());
            } finally {
                clock.reset();
            }
        }
        w.owner().req().get(w.issues() + "/" + id).then().body("counts.sent", equalTo(8))
                .body("counts.total", equalTo(8));
        assertEquals(8, fx.sandboxMessages(w), "each reader once");
    }

    @Test
    void freeTextGoesOnlyToReadersInsideTheirWindowAndTheRestFailWithWhatsAppsReason() {
        Workspace w = fx.workspace("iss-text");
        fx.confirmed(w, DispatchFixture.number());
        String id = w.owner().req().body(Map.of("list", "morgen", "title", "Kurz", "text", "Guten Morgen!"))
                .post(w.issues()).then().statusCode(201).body("status", equalTo("DRAFT")).extract().path("id");
        w.owner().req().post(w.issues() + "/" + id + "/send").then().statusCode(200);
        try (Dispatcher d = fx.dispatcher("text", 2)) {
            assertEquals("DONE", fx.drain(d, w, id), "a closed 24-hour window fails the reader, not the issue");
        }
        w.owner().req().get(w.issues() + "/" + id).then().body("failedByReason.'meta-131047'", equalTo(1))
                .body("preview", equalTo("Guten Morgen!"));
    }

    @Test
    void pauseStopsSendingAndResumeFinishesWithEveryReaderOnce() {
        Workspace w = fx.workspace("iss-pause");
        for (int i = 0; i < 12; i++) {
            fx.confirmed(w, DispatchFixture.number());
        }
        String id = fx.draft(w, "Pause");
        w.owner().req().post(w.issues() + "/" + id + "/send").then().statusCode(200);
        w.owner().req().post(w.issues() + "/" + id + "/pause").then().statusCode(200).body("status", equalTo("PAUSED"));
        try (Dispatcher d = fx.dispatcher("pause", 4)) {
            d.runOnce();
            w.owner().req().get(w.issues() + "/" + id).then().body("counts.sent", equalTo(0))
                    .body("pausedReason", equalTo("dispatch.paused-by-user"));
            w.owner().req().post(w.issues() + "/" + id + "/resume").then().statusCode(200)
                    .body("status", equalTo("SENDING"));
            assertEquals("DONE", fx.drain(d, w, id));
        }
        w.owner().req().get(w.issues() + "/" + id).then().body("counts.sent", equalTo(12))
                .body("counts.excluded", equalTo(0));
        assertEquals(12, fx.sandboxMessages(w), "one message per reader");
    }

    @Test
    void cancelWhileSendingExcludesEveryoneNotYetSent() {
        Workspace w = fx.workspace("iss-cancel");
        for (int i = 0; i < 5; i++) {
            fx.confirmed(w, DispatchFixture.number());
        }
        String id = fx.draft(w, "Cancel");
        w.owner().req().post(w.issues() + "/" + id + "/send").then().statusCode(200);
        fx.prepare(w, id);
        w.owner().req().post(w.issues() + "/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("CANCELLED"));
        try (Dispatcher d = fx.dispatcher("cancel", 4)) {
            d.runOnce();
        }
        w.owner().req().get(w.issues() + "/" + id).then().body("counts.sent", equalTo(0))
                .body("excludedByReason.cancelled", equalTo(5));
        assertEquals(0, fx.sandboxMessages(w));
    }

    @Test
    void aDuplicateIsANewDraftWithTheSameMessage() {
        Workspace w = fx.workspace("iss-dup");
        String id = fx.draft(w, "Original");
        String copy = w.owner().req().post(w.issues() + "/" + id + "/duplicate").then().statusCode(201)
                .body("status", equalTo("DRAFT")).extract().path("id");
        w.owner().req().get(w.issues() + "/" + copy).then().statusCode(200).body("title", equalTo("Original"))
                .body("template.name", equalTo("newsletter_issue")).body("preview", equalTo("Neue Ausgabe: Original"));
    }
}
