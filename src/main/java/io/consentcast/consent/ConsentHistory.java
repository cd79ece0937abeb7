package io.consentcast.consent;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.consentcast.tenancy.CurrentTenant;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Readers per consent state and day: how many (subscriber, list) pairs of the current workspace were in each state
 * at the end of each of the last days. The current counts come from {@code consent_states}; the days before are
 * reached by undoing, day by day, the state changes of the later days, read from {@code consent_daily_changes}
 * (V9_55/V9_56: kept by triggers on {@code consent_states} in the append's transaction, rebuilt from the ledger
 * with the rules of {@link ConsentProjection} by {@link #rebuild}), so a view reads a few rows per day shown
 * instead of replaying the period's events (docs/LEDGER.md, "Readers per day").
 */
@ApplicationScoped
public class ConsentHistory {

    /** The net changes per day and state from the first day on (days after today included). */
    private static final String CHANGES = "SELECT day, state, sum(readers) FROM consent_daily_changes"
            + " WHERE day >= :first GROUP BY day, state";

    @Inject
    EntityManager em;

    @Inject
    ConsentQueries queries;

    @Inject
    Clock clock;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    @CacheName("consent-history")
    Cache cache;

    /**
     * Readers per state at the end of each day: {@code days} days ending today in {@code zone}, oldest first.
     * {@code counts} has a value per day for every state.
     */
    public record History(List<LocalDate> days, Map<ConsentStatus, List<Long>> counts) {

        public long on(ConsentStatus state, int day) {
            return counts.get(state).get(day);
        }

        public boolean empty() {
            return counts.values().stream().allMatch(c -> c.stream().allMatch(n -> n == 0));
        }
    }

    /**
     * The history, cached per workspace until its ledger changes: the key holds the newest event's time and how
     * many events have that time (two index look-ups), so a dashboard of a quiet workspace does not replay the
     * period on every view, and a new event is seen at once.
     */
    public History lastDays(int days, ZoneId zone) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
            Object[] newest = (Object[]) em.createNativeQuery("SELECT max(occurred_at), count(*) FROM consent_events"
                    + " WHERE occurred_at = (SELECT max(occurred_at) FROM consent_events)").getSingleResult();
            String key = currentTenant.id() + "|" + zone.getId() + "|" + today + "|" + days + "|" + newest[0] + "|"
                    + newest[1];
            return cache.<String, History>get(key, k -> compute(days, zone, today)).await().indefinitely();
        });
    }

    /**
     * Throws the workspace's readers per day away and computes them again from its ledger (the SQL function
     * {@code consentcast_rebuild_consent_days}, which the migration V9_56 ran for every workspace); returns the
     * number of rows written. Run after the consent states were rebuilt ({@link ConsentService#rebuildStates}).
     */
    long rebuild() {
        return QuarkusTransaction.joiningExisting().call(() -> ((Number) em
                .createNativeQuery("SELECT consentcast_rebuild_consent_days()").getSingleResult()).longValue());
    }

    private History compute(int days, ZoneId zone, LocalDate today) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            LocalDate first = today.minusDays(days - 1L);
            Map<ConsentStatus, long[]> series = new EnumMap<>(ConsentStatus.class);
            for (ConsentStatus s : ConsentStatus.values()) {
                series.put(s, new long[days]);
            }
            long[] now = new long[ConsentStatus.values().length];
            queries.countsByListAndState().values()
                    .forEach(m -> m.forEach((state, n) -> now[state.ordinal()] += n));
            // Changes per day (index into the series), as +1/-1 per state; days after today count as today.
            long[][] delta = new long[days][ConsentStatus.values().length];
            List<?> rows = em.createNativeQuery(CHANGES).setParameter("first", first).getResultList();
            for (Object r : rows) {
                Object[] a = (Object[]) r;
                LocalDate day = a[0] instanceof java.sql.Date d ? d.toLocalDate() : LocalDate.parse(a[0].toString());
                int i = (int) Math.min(days - 1L, Math.max(0, first.until(day, java.time.temporal.ChronoUnit.DAYS)));
                delta[i][ConsentStatus.valueOf((String) a[1]).ordinal()] += ((Number) a[2]).longValue();
            }
            long[] running = now.clone();
            for (int i = days - 1; i >= 0; i--) {
                for (ConsentStatus s : ConsentStatus.values()) {
                    series.get(s)[i] = Math.max(0, running[s.ordinal()]);
                }
                for (int k = 0; k < running.length; k++) {
                    running[k] -= delta[i][k];
                }
            }
            List<LocalDate> dayList = new ArrayList<>();
            for (int i = 0; i < days; i++) {
                dayList.add(first.plusDays(i));
            }
            Map<ConsentStatus, List<Long>> counts = new EnumMap<>(ConsentStatus.class);
            series.forEach((s, v) -> counts.put(s, java.util.Arrays.stream(v).boxed().toList()));
            return new History(Collections.unmodifiableList(dayList), Collections.unmodifiableMap(counts));
        });
    }
}
