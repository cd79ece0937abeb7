package io.consentcast.dispatch;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentcast.consent.ConsentEventType;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Every member of the list gets a recorded decision, also those who were not confirmed when sending
 * started: the issue page can name each excluded reader's reason.
 */
@QuarkusTest
class AudienceDecisionsTest {

    @Inject
    DispatchFixture fx;

    @Test
    void readersWhoWereNotConfirmedAtTheStartAreExcludedWithTheirReason() {
        DispatchFixture.Workspace w = fx.workspace("members");
        fx.confirmed(w, DispatchFixture.number());
        fx.confirmed(w, DispatchFixture.number());
        UUID left = fx.confirmed(w, DispatchFixture.number());
        fx.event(w, left, ConsentEventType.WITHDRAWN, false);
        UUID stopped = fx.confirmed(w, DispatchFixture.number());
        fx.event(w, stopped, ConsentEventType.SUPPRESSED, true);
        UUID waiting = fx.confirmed(w, DispatchFixture.number());
        fx.event(w, waiting, ConsentEventType.REQUESTED, false);
        UUID erased = fx.confirmed(w, DispatchFixture.number());
        fx.erase(w, erased);

        String id = fx.draft(w, "Members");
        w.owner().req().post(w.issues() + "/" + id + "/send").then().statusCode(200).body("status", equalTo("PREPARING"));
        // Decided by the engine's preparation (in chunks of three members here), before any message: the issue page
        // shows who is left out and why.
        fx.prepare(w, id);
        JsonPath started = w.owner().req().get(w.issues() + "/" + id).then().statusCode(200)
                .body("status", equalTo("SENDING")).body("preparation.done", equalTo(true))
                .body("preparation.decided", equalTo(6)).body("preparation.excluded", equalTo(4)).extract().jsonPath();
        assertEquals(Map.of("withdrawn", 1, "suppressed", 1, "not-confirmed", 1, "erased", 1),
                started.getMap("excludedByReason"));
        assertEquals(2, started.getInt("counts.pending"));
        try (Dispatcher d = fx.dispatcher("members", 2)) {
            assertEquals("DONE", fx.drain(d, w, id));
        }
        JsonPath issue = w.owner().req().get(w.issues() + "/" + id).then().statusCode(200)
                .body("counts.sent", equalTo(2)).body("counts.excluded", equalTo(4)).extract().jsonPath();
        assertEquals(Map.of("withdrawn", 1, "suppressed", 1, "not-confirmed", 1, "erased", 1),
                issue.getMap("excludedByReason"));
    }
}
