package io.consentcast.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.consentcast.shared.SqlValues;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * An issue's deliveries over time: how many of its messages were sent, delivered and read by the end of each
 * step, from the first send to the latest status (at most {@link #MAX_POINTS} steps of 1, 5, 15 or 30 minutes,
 * 1, 3, 6 or 12 hours or whole days). Delivered counts a read message too (Meta may report "read" without
 * "delivered"; {@code delivered_at} is set then as well). Counted in SQL per step, so a large issue costs one
 * grouped scan of its rows.
 */
@ApplicationScoped
public class DeliverySeries {

    static final int MAX_POINTS = 48;

    static final List<Duration> STEPS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
            Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(3), Duration.ofHours(6), Duration.ofHours(12),
            Duration.ofDays(1));

    @Inject
    EntityManager em;

    /** The end of each step and the running totals at that moment; empty when nothing was sent. */
    public record Timeline(List<Instant> at, List<Long> sent, List<Long> delivered, List<Long> read) {

        public boolean empty() {
            return at.isEmpty();
        }

        public int last() {
            return at.size() - 1;
        }
    }

    public Timeline of(UUID issueId) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Object[] span = (Object[]) em.createNativeQuery("SELECT min(sent_at), max(greatest(sent_at, delivered_at,"
                    + " read_at)) FROM issue_deliveries WHERE issue_id = :id AND sent_at IS NOT NULL")
                    .setParameter("id", issueId).getSingleResult();
            if (span[0] == null) {
                return new Timeline(List.of(), List.of(), List.of(), List.of());
            }
            Instant first = instant(span[0]);
            Instant lastAt = instant(span[1]);
            Duration step = step(Duration.between(first, lastAt));
            long stepSeconds = step.toSeconds();
            Instant origin = Instant.ofEpochSecond(first.getEpochSecond() / stepSeconds * stepSeconds);
            int points = (int) (Duration.between(origin, lastAt).toSeconds() / stepSeconds) + 1;
            long[][] perStep = new long[3][points];
            List<?> rows = em.createNativeQuery("SELECT k, b, count(*) FROM ("
                    + " SELECT 0 AS k, floor(extract(epoch FROM sent_at - :origin) / :step) AS b FROM issue_deliveries"
                    + " WHERE issue_id = :id AND sent_at IS NOT NULL"
                    + " UNION ALL SELECT 1, floor(extract(epoch FROM delivered_at - :origin) / :step) FROM issue_deliveries"
                    + " WHERE issue_id = :id AND sent_at IS NOT NULL AND delivered_at IS NOT NULL"
                    + " UNION ALL SELECT 2, floor(extract(epoch FROM read_at - :origin) / :step) FROM issue_deliveries"
                    + " WHERE issue_id = :id AND sent_at IS NOT NULL AND read_at IS NOT NULL) x GROUP BY k, b")
                    .setParameter("id", issueId).setParameter("origin", SqlValues.ts(origin))
                    .setParameter("step", (double) stepSeconds).getResultList();
            for (Object r : rows) {
                Object[] a = (Object[]) r;
                int kind = ((Number) a[0]).intValue();
                int b = (int) Math.max(0, Math.min(points - 1, ((Number) a[1]).longValue()));
                perStep[kind][b] += ((Number) a[2]).longValue();
            }
            List<Instant> at = new ArrayList<>();
            List<List<Long>> totals = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            long[] running = new long[3];
            for (int i = 0; i < points; i++) {
                at.add(origin.plusSeconds((i + 1L) * stepSeconds));
                for (int k = 0; k < 3; k++) {
                    running[k] += perStep[k][i];
                    totals.get(k).add(running[k]);
                }
            }
            return new Timeline(at, totals.get(0), totals.get(1), totals.get(2));
        });
    }

    /** The smallest step that covers {@code span} in at most {@link #MAX_POINTS} points. */
    static Duration step(Duration span) {
        for (Duration s : STEPS) {
            if (span.toSeconds() / s.toSeconds() < MAX_POINTS) {
                return s;
            }
        }
        long days = span.toDays() / MAX_POINTS + 1;
        return Duration.ofDays(days);
    }

    private static Instant instant(Object o) {
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof java.time.OffsetDateTime t) {
            return t.toInstant();
        }
        if (o instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        return java.time.OffsetDateTime.parse(o.toString()).toInstant();
    }
}
