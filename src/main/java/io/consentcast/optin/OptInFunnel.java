package io.consentcast.optin;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.consentcast.shared.SqlValues;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The landing page funnel of each list of the current workspace over the last {@code days} days: page views
 * ({@link PageViews}), opt-in requests made on the landing page, and how many of those were confirmed.
 */
@ApplicationScoped
public class OptInFunnel {

    @Inject
    EntityManager em;

    @Inject
    PageViews views;

    @Inject
    Clock clock;

    /** One list's funnel. {@code conversion}: confirmed per page view, null without views. */
    public record Funnel(long views, long requested, long confirmed) {

        public Double conversion() {
            return views == 0 ? null : Math.min(1.0, (double) confirmed / views);
        }
    }

    /** The funnel per list id (lists without views or requests are missing: zero). */
    public Map<UUID, Funnel> lastDays(int days) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Instant now = clock.instant();
            LocalDate fromDay = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(days - 1L);
            Instant from = now.minus(days, ChronoUnit.DAYS);
            Map<UUID, long[]> acc = new HashMap<>();
            views.since(fromDay).forEach((list, n) -> acc.computeIfAbsent(list, k -> new long[3])[0] = n);
            List<?> rows = em.createNativeQuery("SELECT list_id, count(*), count(confirmed_at) FROM optin_requests"
                    + " WHERE via = 'WEB' AND created_at >= :from GROUP BY list_id")
                    .setParameter("from", SqlValues.ts(from)).getResultList();
            for (Object r : rows) {
                Object[] a = (Object[]) r;
                long[] f = acc.computeIfAbsent(SqlValues.uuid(a[0]), k -> new long[3]);
                f[1] = ((Number) a[1]).longValue();
                f[2] = ((Number) a[2]).longValue();
            }
            Map<UUID, Funnel> out = new HashMap<>();
            acc.forEach((list, f) -> out.put(list, new Funnel(f[0], f[1], f[2])));
            return out;
        });
    }
}
