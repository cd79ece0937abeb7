package io.consentcast.dispatch;

import static io.consentcast.shared.SqlValues.uuid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.consentcast.consent.ConsentAudience;
import io.consentcast.consent.ConsentEventType;
import io.consentcast.consent.ConsentService;
import io.consentcast.consent.EligibilityRule;
import io.consentcast.consent.EventSource;
import io.consentcast.consent.NewEvent;
import io.consentcast.tenancy.TenantScope;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The eligibility rules ({@link EligibilityRule}) decide the same way when an issue starts (the materialised
 * delivery rows, {@link ConsentAudience#DECISIONS}) and immediately before each send (the gate's batch read,
 * {@link ConsentAudience#eligibility}), for every consent state and reason, on both kinds of channel; the rules
 * only the send asks (lapsed consent, invalid number) apply to the readers the start left pending.
 */
@QuarkusTest
class EligibilityTest {

    @Inject
    DispatchFixture fx;

    @Inject
    TenantScope scope;

    @Inject
    ConsentService consent;

    @Inject
    ConsentAudience audience;

    @Inject
    EntityManager em;

    @Test
    void theStartAndTheSendDecideAlikeForEveryStateAndReason() {
        DispatchFixture.Workspace w = fx.workspace("elig");
        Map<UUID, String> name = new LinkedHashMap<>();
        UUID confirmed = fx.confirmed(w, DispatchFixture.number());
        name.put(confirmed, "confirmed");
        UUID withdrawn = fx.confirmed(w, DispatchFixture.number());
        fx.event(w, withdrawn, ConsentEventType.WITHDRAWN, false);
        name.put(withdrawn, "withdrawn");
        UUID suppressed = fx.confirmed(w, DispatchFixture.number());
        fx.event(w, suppressed, ConsentEventType.SUPPRESSED, true);
        name.put(suppressed, "suppressed");
        UUID pending = fx.confirmed(w, DispatchFixture.number());
        fx.event(w, pending, ConsentEventType.REQUESTED, false);
        name.put(pending, "pending");
        UUID expired = fx.confirmed(w, DispatchFixture.number());
        fx.event(w, expired, ConsentEventType.EXPIRED, false);
        name.put(expired, "expired");
        UUID erased = fx.confirmed(w, DispatchFixture.number());
        fx.erase(w, erased);
        name.put(erased, "erased");
        UUID sandbox = scope.call(w.tenantId(), () -> {
            UUID id = consent.subscriberFor(DispatchFixture.number()).id();
            consent.append(NewEvent.of(id, ConsentEventType.CONFIRMED, EventSource.SANDBOX).forList(w.listId())
                    .withConsentText(w.consentTextId())
                    .withWhatsApp("wamid.SANDBOXIN." + UUID.randomUUID().toString().replace("-", ""), Instant.now()));
            return id;
        });
        name.put(sandbox, "sandbox");
        UUID badNumber = fx.confirmed(w, DispatchFixture.number());
        // A number stored before today's input rules: not E.164 (the first digit after "+" is 0).
        scope.run(w.tenantId(), () -> em.createNativeQuery("update subscribers set phone = '+0151123' where id = ?1")
                .setParameter(1, badNumber).executeUpdate());
        name.put(badNumber, "bad-number");
        List<UUID> ids = List.copyOf(name.keySet());

        Map<String, String> expectedAtStartSandbox = new HashMap<>();
        expectedAtStartSandbox.put("withdrawn", "withdrawn");
        expectedAtStartSandbox.put("suppressed", "suppressed");
        expectedAtStartSandbox.put("pending", "not-confirmed");
        expectedAtStartSandbox.put("expired", "expired");
        expectedAtStartSandbox.put("erased", "erased");
        Map<String, String> expectedAtStartLive = new HashMap<>(expectedAtStartSandbox);
        expectedAtStartLive.put("sandbox", "sandbox-only-consent");

        Instant now = Instant.now();
        for (boolean live : List.of(false, true)) {
            Map<UUID, String> atStart = materialised(w, live);
            assertEquals(name.keySet(), atStart.keySet(), "every member has a decision at the start");
            Map<String, String> startByName = new HashMap<>();
            atStart.forEach((id, reason) -> {
                if (reason != null) {
                    startByName.put(name.get(id), reason);
                }
            });
            assertEquals(live ? expectedAtStartLive : expectedAtStartSandbox, startByName, "live=" + live);

            for (Instant cutoff : List.of(now.minus(30, ChronoUnit.DAYS), now.plus(1, ChronoUnit.DAYS))) {
                boolean lapsed = cutoff.isAfter(now);
                Map<UUID, ConsentAudience.Eligibility> atSend = scope.call(w.tenantId(),
                        () -> audience.eligibility(ids, w.listId(), live, cutoff));
                for (UUID id : ids) {
                    String start = atStart.get(id);
                    ConsentGate.Decision send = ConsentGate.decide(atSend.get(id));
                    String what = name.get(id) + " live=" + live + " lapsed=" + lapsed;
                    if (start != null) {
                        assertEquals(start, send.reason(), "the send decides as the start did: " + what);
                    } else if (lapsed) {
                        assertEquals(EligibilityRule.LAPSED.reason, send.reason(), what);
                    } else if (id.equals(badNumber)) {
                        assertEquals(EligibilityRule.INVALID_NUMBER.reason, send.reason(), what);
                    } else {
                        assertTrue(send.send(), what + ": " + send);
                        assertTrue(send.to().matches("49151[0-9]{8}"), what + ": " + send);
                        assertTrue(send.consentEventId() != null, what);
                    }
                }
            }
        }

        // The production start writes exactly these decisions (sandbox workspace: the channel is not live).
        String issue = fx.draft(w, "Eligibility");
        w.owner().req().post(w.issues() + "/" + issue + "/send").then().statusCode(200);
        fx.prepare(w, issue); // the engine decides the audience in chunks (three members each in tests)
        Map<String, Object> byReason = w.owner().req().get(w.issues() + "/" + issue).then().statusCode(200)
                .extract().jsonPath().getMap("excludedByReason");
        Map<String, Integer> expectedCounts = new HashMap<>();
        expectedAtStartSandbox.values().forEach(r -> expectedCounts.merge(r, 1, Integer::sum));
        assertEquals(expectedCounts, byReason);
    }

    @Test
    void aSubscriberTheGateCannotFindIsLeftOutAsErased() {
        assertEquals(EligibilityRule.ERASED.reason, ConsentGate.decide(null).reason());
    }

    private Map<UUID, String> materialised(DispatchFixture.Workspace w, boolean live) {
        return scope.call(w.tenantId(), () -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("SELECT d.subscriber_id, d.reason FROM ("
                    + ConsentAudience.DECISIONS + ") d").setParameter("tenant", w.tenantId())
                    .setParameter("list", w.listId()).setParameter("liveChannel", live).getResultList();
            Map<UUID, String> out = new HashMap<>();
            rows.forEach(r -> out.put(uuid(r[0]), (String) r[1]));
            return out;
        });
    }
}
