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

import io.consentcast.shared.SqlValues;
import io.consentcast.tenancy.CurrentTenant;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Readers per consent state and day, read back from the ledger: how many (subscriber, list) pairs of the current
 * workspace were in each state at the end of each of the last days. The current counts come from
 * {@code consent_states}; the days before are reached by undoing, day by day, the state changes that the ledger
 * events of the period made. Those changes are computed in SQL with the rules of {@link ConsentProjection}
 * (an event for all lists applies to each of the subscriber's lists; SUPPRESSED shows over any consent; ERASED
 * withdraws and suppresses), only for subscribers with events in the period.
 */
@ApplicationScoped
public class ConsentHistory {

    /** The state a consent event sets, as SQL over {@code e.type} (null: the consent stays). */
    private static final String CONSENT = "CASE e.type WHEN 'REQUESTED' THEN 'PENDING' WHEN 'CONFIRMED' THEN 'CONFIRMED'"
            + " WHEN 'WITHDRAWN' THEN 'WITHDRAWN' WHEN 'EXPIRED' THEN 'EXPIRED' WHEN 'IMPORTED' THEN 'IMPORTED'"
            + " WHEN 'ERASED' THEN 'WITHDRAWN' END";

    /** The suppression an event switches, as SQL (null: unchanged). */
    private static final String SUPPRESSION = "CASE e.type WHEN 'SUPPRESSED' THEN true WHEN 'UNSUPPRESSED' THEN false"
            + " WHEN 'ERASED' THEN true END";

    /** One change of state of one (subscriber, list): the day it happened, the state before (null: none) and after. */
    private static final String CHANGES = "WITH touched AS (SELECT DISTINCT subscriber_id FROM consent_events"
            + " WHERE occurred_at >= :from),"
            + " ev AS (SELECT cs.subscriber_id, cs.list_id, e.seq, e.occurred_at, " + CONSENT + " AS consent, "
            + SUPPRESSION + " AS supp FROM consent_states cs JOIN touched t ON t.subscriber_id = cs.subscriber_id"
            + " JOIN consent_events e ON e.subscriber_id = cs.subscriber_id"
            + " AND (e.list_id = cs.list_id OR e.list_id IS NULL) WHERE cs.list_id IS NOT NULL),"
            + " grouped AS (SELECT ev.*, count(consent) OVER w AS cg, count(supp) OVER w AS sg FROM ev"
            + " WINDOW w AS (PARTITION BY subscriber_id, list_id ORDER BY seq)),"
            + " filled AS (SELECT subscriber_id, list_id, seq, occurred_at,"
            + " first_value(consent) OVER (PARTITION BY subscriber_id, list_id, cg ORDER BY seq) AS consent,"
            + " coalesce(first_value(supp) OVER (PARTITION BY subscriber_id, list_id, sg ORDER BY seq), false) AS supp"
            + " FROM grouped),"
            + " states AS (SELECT subscriber_id, list_id, seq, occurred_at,"
            + " CASE WHEN supp THEN 'SUPPRESSED' ELSE consent END AS state FROM filled),"
            + " changes AS (SELECT occurred_at, state,"
            + " lag(state) OVER (PARTITION BY subscriber_id, list_id ORDER BY seq) AS before FROM states)"
            + " SELECT CAST(timezone(:zone, occurred_at) AS date) AS day, before, state, count(*) FROM changes"
            + " WHERE occurred_at >= :from AND state IS DISTINCT FROM before GROUP BY 1, 2, 3";

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
            List<?> rows = em.createNativeQuery(CHANGES)
                    .setParameter("from", SqlValues.ts(first.atStartOfDay(zone).toInstant()))
                    .setParameter("zone", zone.getId()).getResultList();
            for (Object r : rows) {
                Object[] a = (Object[]) r;
                LocalDate day = a[0] instanceof java.sql.Date d ? d.toLocalDate() : LocalDate.parse(a[0].toString());
                int i = (int) Math.min(days - 1L, Math.max(0, first.until(day, java.time.temporal.ChronoUnit.DAYS)));
                long n = ((Number) a[3]).longValue();
                if (a[1] != null) {
                    delta[i][ConsentStatus.valueOf((String) a[1]).ordinal()] -= n;
                }
                if (a[2] != null) {
                    delta[i][ConsentStatus.valueOf((String) a[2]).ordinal()] += n;
                }
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
