package io.consentcast.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentcast.dispatch.DispatchFixture.Workspace;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The life of an issue in the activity log: every change a member makes through the API (create, edit, duplicate,
 * schedule, pause, resume, cancel, send, sending settings) with the member and the issue's current title, and the
 * engine's completion with its counts, recorded by the system.
 */
@QuarkusTest
class IssueActivityTest {

    @Inject
    DispatchFixture fx;

    private static List<Map<String, Object>> entries(JsonPath log, String action) {
        return log.getList("findAll { it.action == '" + action + "' }");
    }

    @Test
    void everyStepOfAnIssueIsLoggedWithTheMemberAndTheIssuesTitle() {
        Workspace w = fx.workspace("iss-act");
        fx.confirmed(w, DispatchFixture.number());
        fx.confirmed(w, DispatchFixture.number());

        String first = fx.draft(w, "Entwurf");
        w.owner().req().body(Map.of("title", "Morgenbriefing Dienstag")).put(w.issues() + "/" + first).then()
                .statusCode(200);
        String at = OffsetDateTime.now(ZoneOffset.UTC).plusDays(2).withNano(0).toString();
        w.owner().req().body(Map.of("scheduledAt", at)).post(w.issues() + "/" + first + "/schedule").then()
                .statusCode(200);
        w.owner().req().post(w.issues() + "/" + first + "/pause").then().statusCode(200);
        w.owner().req().post(w.issues() + "/" + first + "/resume").then().statusCode(200);
        w.owner().req().post(w.issues() + "/" + first + "/cancel").then().statusCode(200);
        String copy = w.owner().req().post(w.issues() + "/" + first + "/duplicate").then().statusCode(201).extract()
                .path("id");
        w.owner().req().body(Map.of("ratePerSecond", 40)).put("/api/tenants/" + w.slug() + "/dispatch-settings")
                .then().statusCode(200);
        w.owner().req().post(w.issues() + "/" + copy + "/send").then().statusCode(200);
        try (Dispatcher d = fx.dispatcher("iss-act", 2)) {
            assertEquals("DONE", fx.drain(d, w, copy));
        }
        // A refused change is no change: nothing is logged for it.
        w.owner().req().post(w.issues() + "/" + first + "/pause").then().statusCode(409);

        JsonPath log = w.owner().req().queryParam("limit", 500).get("/api/tenants/" + w.slug() + "/activity").then()
                .statusCode(200).extract().jsonPath();
        String owner = w.owner().email();
        for (String action : List.of("issue.created", "issue.edited", "issue.scheduled", "issue.paused",
                "issue.resumed", "issue.cancelled")) {
            List<Map<String, Object>> found = entries(log, action).stream()
                    .filter(e -> first.equals(e.get("subjectId"))).toList();
            assertEquals(1, found.size(), action + " once for the first issue: " + log.prettify());
            assertEquals(owner, found.get(0).get("actorEmail"), action);
            assertEquals("Morgenbriefing Dienstag", found.get(0).get("subject"), action + " shows the current title");
        }
        assertTrue(((String) entries(log, "issue.scheduled").get(0).get("detail")).startsWith("Morgenbriefing Dienstag for "),
                log.prettify());
        Map<String, Object> duplicated = entries(log, "issue.duplicated").get(0);
        assertEquals(copy, duplicated.get("subjectId"), "the duplicate is about the new issue");
        assertEquals(owner, entries(log, "issue.sent").get(0).get("actorEmail"));
        assertEquals(copy, entries(log, "issue.sent").get(0).get("subjectId"));
        Map<String, Object> completed = entries(log, "issue.completed").get(0);
        assertEquals(copy, completed.get("subjectId"));
        assertEquals("Morgenbriefing Dienstag: 2 sent, 0 failed", completed.get("detail"));
        assertTrue(!owner.equals(completed.get("actorEmail")), "the engine, not the member, completes an issue");
        assertEquals(1, entries(log, "dispatch-settings.changed").stream()
                .filter(e -> ((String) e.get("detail")).startsWith("40 messages per second")
                        && owner.equals(e.get("actorEmail"))).count(), log.prettify());
        assertEquals(1, entries(log, "issue.paused").size(), "the refused pause left no entry");
    }
}
