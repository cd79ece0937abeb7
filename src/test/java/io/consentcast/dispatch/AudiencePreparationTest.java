package io.consentcast.dispatch;

import static io.consentcast.shared.SqlValues.uuid;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.consentcast.consent.ConsentAudience;
import io.consentcast.consent.ConsentEventType;
import io.consentcast.consent.ConsentService;
import io.consentcast.dispatch.DispatchFixture.Workspace;
import io.consentcast.dispatch.DispatchWork.JobRef;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * "Send now" answers at once with the issue PREPARING; the engine decides the audience in subscriber-range chunks
 * (three members per chunk in tests) while it already sends the rows decided; the API and the page show the
 * preparation's progress. Chunk boundaries, an interrupted preparation, cancel and pause during it.
 */
@QuarkusTest
class AudiencePreparationTest {

    @Inject
    DispatchFixture fx;

    @Inject
    DispatchJobs jobs;

    @Inject
    TenantScope scope;

    @Inject
    ConsentService consent;

    @Inject
    EntityManager em;

    @Inject
    TestClock clock;

    private JsonPath issue(Workspace w, String id) {
        return w.owner().req().get(w.issues() + "/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** Every delivery row of the issue: subscriber -> reason ("" when none), failing on a second row for a subscriber. */
    private Map<UUID, String> rows(Workspace w, String id) {
        return scope.call(w.tenantId(), () -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("select subscriber_id, coalesce(reason, '') from issue_deliveries"
                    + " where issue_id = ?1").setParameter(1, UUID.fromString(id)).getResultList();
            Map<UUID, String> out = new HashMap<>();
            for (Object[] r : rows) {
                assertTrue(out.put(uuid(r[0]), (String) r[1]) == null, "a second row for subscriber " + r[0]);
            }
            return out;
        });
    }

    /** What one statement over the whole list decides now ({@link ConsentAudience#DECISIONS}, sandbox channel). */
    private Map<UUID, String> decisions(Workspace w) {
        return scope.call(w.tenantId(), () -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("SELECT d.subscriber_id, coalesce(d.reason, '') FROM ("
                    + ConsentAudience.DECISIONS + ") d").setParameter("tenant", w.tenantId())
                    .setParameter("list", w.listId()).setParameter("liveChannel", false).getResultList();
            Map<UUID, String> out = new HashMap<>();
            rows.forEach(r -> out.put(uuid(r[0]), (String) r[1]));
            return out;
        });
    }

    private String send(Workspace w, String id) {
        return w.owner().req().post(w.issues() + "/" + id + "/send").then().statusCode(200).extract().path("status");
    }

    @Test
    void sendNowAnswersAtOnceWhileTheEngineDecidesTheAudienceAndThePageShowsTheProgress() {
        Workspace w = fx.workspace("prep-page");
        for (int i = 0; i < 7; i++) {
            fx.confirmed(w, DispatchFixture.number());
        }
        UUID left = fx.confirmed(w, DispatchFixture.number());
        fx.event(w, left, ConsentEventType.WITHDRAWN, false);
        String id = fx.draft(w, "Vorbereitung");

        assertEquals("PREPARING", send(w, id), "the request decides nobody: it hands the audience to the engine");
        JsonPath started = issue(w, id);
        assertEquals("PREPARING", started.getString("status"));
        assertEquals(0, started.getInt("counts.total"), "no delivery row is written in the request");
        assertEquals(0, started.getInt("preparation.decided"));
        assertFalse(started.getBoolean("preparation.done"));

        // One chunk through the engine: three members decided of the list's eight.
        JobRef job = new JobRef(UUID.fromString(id), w.tenantId());
        assertTrue(jobs.claimPreparation(job, "prep-page"));
        assertTrue(jobs.prepare(job, "prep-page"), "more chunks to come");
        JsonPath partly = issue(w, id);
        assertEquals("PREPARING", partly.getString("status"));
        assertEquals(8, partly.getInt("preparation.members"));
        assertEquals(3, partly.getInt("preparation.decided"));
        assertEquals(3, partly.getInt("preparation.eligible") + partly.getInt("preparation.excluded"));
        assertEquals(3, partly.getInt("counts.total"));
        String base = "/t/" + w.slug() + "/issues/" + id;
        w.owner().req().accept("text/html").header("Accept-Language", "en").get(base).then().statusCode(200)
                .body(containsString("Preparing the audience"))
                .body(containsString("<progress id=\"prep-bar\" max=\"8\" value=\"3\">"))
                .body(containsString("data-prep=\"decided\">3<")).body(containsString("Eligible so far"));
        w.owner().req().accept("text/html").cookie("cc_lang", "de").get(base).then().statusCode(200)
                .body(containsString("Empfänger werden ermittelt")).body(containsString("Bisher ausgeschlossen"));
        w.owner().req().accept("application/json").get(base + "/progress").then().statusCode(200)
                .body("preparation.decided", equalTo(3)).body("preparation.members", equalTo(8));

        // The engine takes the preparation over once its lease has expired (the test's worker stops here).
        clock.advance(Duration.ofMinutes(3));
        try (Dispatcher d = fx.dispatcher("prep-page", 4)) {
            assertEquals("DONE", fx.drain(d, w, id));
        } finally {
            clock.reset();
        }
        JsonPath done = issue(w, id);
        assertEquals(7, done.getInt("counts.sent"));
        assertEquals(Map.of("withdrawn", 1), done.getMap("excludedByReason"));
        assertTrue(done.getBoolean("preparation.done"));
        assertEquals(8, done.getInt("preparation.decided"));
        assertEquals(7, fx.sandboxMessages(w), "each reader once");
        w.owner().req().accept("text/html").header("Accept-Language", "en").get(base).then().statusCode(200)
                .body(org.hamcrest.Matchers.not(containsString("id=\"preparing\"")));
    }

    @Test
    void aScheduledIssueReachingItsTimeIsPreparedByTheEngine() {
        Workspace w = fx.workspace("prep-due");
        for (int i = 0; i < 5; i++) {
            fx.confirmed(w, DispatchFixture.number());
        }
        String at = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusMinutes(10).withNano(0).toString();
        String id = w.owner().req().body(Map.of("list", "morgen", "title", "Termin", "template", Map.of("name",
                "newsletter_issue", "language", "de", "parameters", List.of("Termin")), "scheduledAt", at))
                .post(w.issues()).then().statusCode(201).body("status", equalTo("SCHEDULED")).extract().path("id");
        clock.advance(Duration.ofMinutes(11));
        try {
            // The engine's start: the START job, claimed with its lease, moves the issue on through the preflight.
            for (JobRef job : jobs.claimJobs(JobKind.START, "prep-due", 20)) {
                jobs.advance(job, "prep-due");
            }
            JsonPath started = issue(w, id);
            assertEquals("PREPARING", started.getString("status"));
            assertEquals(0, started.getInt("counts.total"));
            try (Dispatcher d = fx.dispatcher("prep-due", 4)) {
                assertEquals("DONE", fx.drain(d, w, id));
            }
        } finally {
            clock.reset();
        }
        JsonPath done = issue(w, id);
        assertEquals(5, done.getInt("counts.sent"));
        assertEquals(5, done.getInt("preparation.decided"));
        assertEquals(5, fx.sandboxMessages(w), "each reader once");
    }

    @Test
    void chunkBoundariesLeaveNoMemberOutAndNoneTwiceWithTheDecisionsOfOneStatement() {
        Workspace w = fx.workspace("prep-chunks");
        Set<UUID> members = new HashSet<>();
        for (int i = 0; i < 11; i++) {
            members.add(fx.confirmed(w, DispatchFixture.number()));
        }
        List<UUID> some = List.copyOf(members);
        fx.event(w, some.get(0), ConsentEventType.WITHDRAWN, false);
        fx.event(w, some.get(1), ConsentEventType.SUPPRESSED, true);
        fx.event(w, some.get(2), ConsentEventType.REQUESTED, false);
        fx.erase(w, some.get(3));
        // Readers confirmed for "all lists" without a state of the list's own are members too, in whichever chunk's
        // range their id falls.
        for (int i = 0; i < 4; i++) {
            String phone = DispatchFixture.number();
            UUID all = scope.call(w.tenantId(), () -> consent.subscriberFor(phone).id());
            fx.event(w, all, ConsentEventType.CONFIRMED, true);
            members.add(all);
        }
        Map<UUID, String> expected = decisions(w);
        assertEquals(members, expected.keySet());

        String id = fx.draft(w, "Grenzen");
        assertEquals("PREPARING", send(w, id));
        int chunks = fx.prepare(w, id);
        assertTrue(chunks >= 4, "11 list members in chunks of 3: " + chunks);
        assertEquals(expected, rows(w, id), "the same decision per member as one statement over the whole list");
        JsonPath v = issue(w, id);
        assertEquals("SENDING", v.getString("status"));
        assertEquals(15, v.getInt("counts.total"));
        assertEquals(15, v.getInt("preparation.decided"));
        assertEquals(4, v.getInt("preparation.excluded"));
        assertEquals(11, v.getInt("preparation.eligible"));
        try (Dispatcher d = fx.dispatcher("prep-chunks", 4)) {
            assertEquals("DONE", fx.drain(d, w, id));
        }
        assertEquals(11, fx.sandboxMessages(w), "every eligible member once");
    }

    @Test
    void aPreparationWhoseWorkerDiedIsTakenOverAndDecidesEveryMemberExactlyOnce() {
        Workspace w = fx.workspace("prep-crash");
        for (int i = 0; i < 12; i++) {
            fx.confirmed(w, DispatchFixture.number());
        }
        String id = fx.draft(w, "Übernahme");
        send(w, id);
        JobRef job = new JobRef(UUID.fromString(id), w.tenantId());
        // An instance takes the preparation, writes one chunk and dies (its lease keeps running).
        assertTrue(jobs.claimPreparation(job, "dead"));
        assertTrue(jobs.prepare(job, "dead"));
        try (Dispatcher d = fx.dispatcher("prep-survivor", 4)) {
            // Another instance sends the first chunk's readers at once but cannot take the preparation yet.
            d.runOnce();
            JsonPath v = issue(w, id);
            assertEquals("PREPARING", v.getString("status"));
            assertEquals(3, v.getInt("preparation.decided"));
            assertEquals(3, v.getInt("counts.sent"), "the rows decided so far are sent while the audience is prepared");
            // The lease expires: another worker takes the preparation over from the cursor and writes a chunk.
            clock.advance(Duration.ofMinutes(3));
            assertTrue(jobs.claimPreparation(job, "taker"));
            assertTrue(jobs.prepare(job, "taker"));
            // The first worker was only stalled: back, it finds its lease taken and writes nothing.
            assertFalse(jobs.prepare(job, "dead"), "a worker whose lease was taken over writes no chunk");
            assertEquals(6, issue(w, id).getInt("preparation.decided"));
            // The taker stalls too; once its lease has expired the engine takes over and finishes.
            clock.advance(Duration.ofMinutes(3));
            assertEquals("DONE", fx.drain(d, w, id));
        } finally {
            clock.reset();
        }
        assertFalse(jobs.prepare(job, "taker"), "nothing left to prepare");
        assertEquals(12, rows(w, id).size(), "every member decided exactly once");
        JsonPath v = issue(w, id);
        assertEquals(12, v.getInt("counts.sent"));
        assertEquals(12, v.getInt("counts.total"));
        assertEquals(12, fx.sandboxMessages(w), "each reader once");
    }

    @Test
    void cancelDuringThePreparationStopsTheChunksAndSendsNothingMore() {
        Workspace w = fx.workspace("prep-cancel");
        for (int i = 0; i < 10; i++) {
            fx.confirmed(w, DispatchFixture.number());
        }
        String id = fx.draft(w, "Abbruch");
        send(w, id);
        JobRef job = new JobRef(UUID.fromString(id), w.tenantId());
        assertTrue(jobs.claimPreparation(job, "prep-cancel"));
        assertTrue(jobs.prepare(job, "prep-cancel"));
        w.owner().req().post(w.issues() + "/" + id + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
        assertFalse(jobs.prepare(job, "prep-cancel"), "no chunk after the cancel");
        try (Dispatcher d = fx.dispatcher("prep-cancel", 4)) {
            d.runOnce();
        }
        JsonPath v = issue(w, id);
        assertEquals("CANCELLED", v.getString("status"));
        assertEquals(3, v.getInt("counts.total"), "members not decided at the cancel get no row");
        assertTrue(v.getBoolean("preparation.done"), "the preparation is over");
        assertEquals(3, v.getInt("preparation.decided"));
        w.owner().req().accept("text/html").header("Accept-Language", "en").get("/t/" + w.slug() + "/issues/" + id)
                .then().statusCode(200).body(org.hamcrest.Matchers.not(containsString("id=\"preparing\"")));
        assertEquals(Map.of("cancelled", 3), v.getMap("excludedByReason"));
        assertEquals(0, v.getInt("counts.sent"));
        assertEquals(0, fx.sandboxMessages(w));
    }

    @Test
    void pauseDuringThePreparationHoldsTheSendingButFinishesDecidingAndResumeSendsEveryoneOnce() {
        Workspace w = fx.workspace("prep-pause");
        for (int i = 0; i < 8; i++) {
            fx.confirmed(w, DispatchFixture.number());
        }
        UUID left = fx.confirmed(w, DispatchFixture.number());
        fx.event(w, left, ConsentEventType.WITHDRAWN, false);
        String id = fx.draft(w, "Pause");
        send(w, id);
        w.owner().req().post(w.issues() + "/" + id + "/pause").then().statusCode(200).body("status", equalTo("PAUSED"));
        try (Dispatcher d = fx.dispatcher("prep-pause", 4)) {
            d.runOnce();
            JsonPath paused = issue(w, id);
            assertEquals("PAUSED", paused.getString("status"));
            assertTrue(paused.getBoolean("preparation.done"), "deciding went on while paused");
            assertEquals(9, paused.getInt("counts.total"));
            assertEquals(0, paused.getInt("counts.sent"));
            assertEquals(0, fx.sandboxMessages(w));
            w.owner().req().post(w.issues() + "/" + id + "/resume").then().statusCode(200)
                    .body("status", equalTo("SENDING"));
            assertEquals("DONE", fx.drain(d, w, id));
        }
        JsonPath v = issue(w, id);
        assertEquals(8, v.getInt("counts.sent"));
        assertEquals(Map.of("withdrawn", 1), v.getMap("excludedByReason"));
        assertEquals(8, fx.sandboxMessages(w), "each reader once");
    }
}
