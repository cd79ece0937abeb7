package io.consentcast.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.consentcast.dispatch.DispatchFixture;
import io.consentcast.dispatch.DispatchFixture.Workspace;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.testsupport.TestClock;
import io.consentcast.tenancy.TenantScope;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The dashboard's readers per state and day (issue 18, performance round two) come from the daily changes that
 * the consent appends keep in {@code consent_daily_changes}; they must equal what the ledger itself says: for
 * every one of the 90 days, the ledger's events up to the end of that day replayed through
 * {@link ConsentProjection}, over a few days of joins, withdrawals, suppressions for all lists, a second list and
 * an erasure, with the injected clock moved day by day. A rebuild from the ledger gives the same figures.
 */
@QuarkusTest
class ReadersPerDayTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Inject
    DispatchFixture fx;

    @Inject
    TestClock clock;

    @Inject
    TenantScope scope;

    @Inject
    ConsentService consent;

    @Inject
    ConsentHistory history;

    @Inject
    EntityManager em;

    @Test
    void theChartsFiguresEqualTheLedgerReplayedDayByDay() {
        Workspace w = fx.workspace("days");
        var evening = Fixtures.germanList("abend", "ABEND");
        var second = w.owner().req().body(evening).post("/api/tenants/" + w.slug() + "/lists").then().statusCode(201)
                .extract();
        UUID list2 = UUID.fromString(second.path("id"));
        UUID text2 = UUID.fromString(second.path("consentTextId"));
        try {
            clock.advance(Duration.ofDays(-6));
            List<UUID> r = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                r.add(fx.confirmed(w, DispatchFixture.number()));
            }
            clock.advance(Duration.ofDays(1));
            fx.event(w, r.get(1), ConsentEventType.WITHDRAWN, false);
            confirm(w, r.get(0), list2, text2);
            confirm(w, r.get(2), list2, text2);
            clock.advance(Duration.ofDays(1));
            fx.event(w, r.get(2), ConsentEventType.SUPPRESSED, true);
            fx.event(w, r.get(3), ConsentEventType.EXPIRED, false);
            clock.advance(Duration.ofDays(2));
            fx.event(w, r.get(2), ConsentEventType.UNSUPPRESSED, true);
            fx.erase(w, r.get(4));
            fx.confirmed(w, DispatchFixture.number());
            fx.event(w, r.get(1), ConsentEventType.CONFIRMED, false);
            clock.advance(Duration.ofDays(1));
            fx.event(w, r.get(0), ConsentEventType.WITHDRAWN, true);

            Map<ConsentStatus, List<Long>> expected = fromLedger(w);
            ConsentHistory.History shown = scope.call(w.tenantId(), () -> history.lastDays(90, BERLIN));
            assertEquals(expected, shown.counts());
            assertTrue(shown.on(ConsentStatus.WITHDRAWN, 89) > 0 && shown.on(ConsentStatus.CONFIRMED, 84) == 5,
                    shown.counts().toString());

            // The cache is derived: thrown away and rebuilt from the ledger, it gives the same figures.
            scope.run(w.tenantId(), () -> consent.rebuildStates());
            fx.event(w, r.get(3), ConsentEventType.SUPPRESSED, false); // a new event, so the view is not cached
            expected = fromLedger(w);
            assertEquals(expected, scope.call(w.tenantId(), () -> history.lastDays(90, BERLIN)).counts());
        } finally {
            clock.reset();
        }
    }

    private void confirm(Workspace w, UUID subscriber, UUID list, UUID text) {
        scope.run(w.tenantId(), () -> consent.append(NewEvent.of(subscriber, ConsentEventType.CONFIRMED,
                EventSource.WHATSAPP).forList(list).withConsentText(text)
                .withWhatsApp("wamid.in." + UUID.randomUUID(), Instant.now())));
    }

    /** Readers per state at the end of each of the last 90 days (Berlin), replaying the ledger from its start. */
    private Map<ConsentStatus, List<Long>> fromLedger(Workspace w) {
        List<ConsentEvent> events = scope.call(w.tenantId(), () -> em
                .createQuery("from ConsentEvent order by subscriberId, seq", ConsentEvent.class).getResultList());
        LocalDate today = LocalDate.ofInstant(clock.instant(), BERLIN);
        Map<ConsentStatus, List<Long>> out = new EnumMap<>(ConsentStatus.class);
        for (ConsentStatus s : ConsentStatus.values()) {
            out.put(s, new ArrayList<>());
        }
        for (int d = 89; d >= 0; d--) {
            Instant end = today.minusDays(d).plusDays(1).atStartOfDay(BERLIN).toInstant();
            Map<UUID, Map<UUID, ConsentProjection.Row>> bySubscriber = new HashMap<>();
            for (ConsentEvent e : events) {
                if (e.occurredAt.isBefore(end)) {
                    ConsentProjection.apply(bySubscriber.computeIfAbsent(e.subscriberId, k -> new HashMap<>()), e);
                }
            }
            Map<ConsentStatus, Long> counts = new EnumMap<>(ConsentStatus.class);
            bySubscriber.values().forEach(rows -> rows.forEach((list, row) -> {
                if (list != null) {
                    counts.merge(row.state(), 1L, Long::sum);
                }
            }));
            for (ConsentStatus s : ConsentStatus.values()) {
                out.get(s).add(counts.getOrDefault(s, 0L));
            }
        }
        return out;
    }
}
