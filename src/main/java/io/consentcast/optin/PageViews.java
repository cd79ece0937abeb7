package io.consentcast.optin;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.consentcast.tenancy.TenantScope;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Views of the public landing pages per list and day (UTC), for the opt-in funnel. A GET only adds one to
 * an in-memory counter ({@link #count}: no database on the page's hot path, which serves cached data); every
 * {@code consentcast.optin.page-views-flush} (10 s) and at shutdown the counters are added to
 * {@code landing_page_views} with one upsert per list and day, in each workspace's own transaction. A flush
 * that fails puts its counts back for the next one. Views counted in the last interval before a crash are lost:
 * the figure is a trend, not evidence.
 */
@ApplicationScoped
public class PageViews {

    private static final Logger LOG = Logger.getLogger(PageViews.class);

    record Key(String tenantId, UUID listId, LocalDate day) {
    }

    private final Map<Key, LongAdder> pending = new ConcurrentHashMap<>();

    @Inject
    TenantScope scope;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    /** One view of a list's landing page. */
    public void count(String tenantId, UUID listId) {
        pending.computeIfAbsent(new Key(tenantId, listId, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)),
                k -> new LongAdder()).increment();
    }

    @Scheduled(every = "${consentcast.optin.page-views-flush:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "landing-page-views")
    void tick() {
        flush();
    }

    /** Adds the counted views to the table; returns the number of views written. */
    public synchronized long flush() {
        Map<String, Map<Key, Long>> byTenant = new HashMap<>();
        for (Key k : new ArrayList<>(pending.keySet())) {
            LongAdder adder = pending.remove(k);
            long n = adder == null ? 0 : adder.sumThenReset();
            if (n > 0) {
                byTenant.computeIfAbsent(k.tenantId(), t -> new HashMap<>()).merge(k, n, Long::sum);
            }
        }
        long written = 0;
        for (Map.Entry<String, Map<Key, Long>> t : byTenant.entrySet()) {
            try {
                scope.run(t.getKey(), () -> t.getValue().forEach(this::add));
                written += t.getValue().values().stream().mapToLong(Long::longValue).sum();
            } catch (RuntimeException e) {
                LOG.warnf("Landing page views of workspace %s not saved yet: %s", t.getKey(), e.toString());
                t.getValue().forEach((k, n) -> pending.computeIfAbsent(k, x -> new LongAdder()).add(n));
            }
        }
        return written;
    }

    void onStop(@Observes ShutdownEvent stop) {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warnf("Landing page views not saved at shutdown: %s", e.toString());
        }
    }

    private void add(Key k, long n) {
        em.createNativeQuery("INSERT INTO landing_page_views (tenant_id, list_id, day, views) VALUES (:t, :l, :d, :n)"
                + " ON CONFLICT (tenant_id, list_id, day) DO UPDATE SET views = landing_page_views.views + EXCLUDED.views")
                .setParameter("t", k.tenantId()).setParameter("l", k.listId()).setParameter("d", k.day())
                .setParameter("n", n).executeUpdate();
    }

    /** Views per list from {@code from} (a UTC day, inclusive), of the current workspace. */
    public Map<UUID, Long> since(LocalDate from) {
        Map<UUID, Long> out = new HashMap<>();
        List<?> rows = em.createNativeQuery("SELECT list_id, sum(views) FROM landing_page_views WHERE day >= :from"
                + " GROUP BY list_id").setParameter("from", from).getResultList();
        for (Object r : rows) {
            Object[] a = (Object[]) r;
            out.put(io.consentcast.shared.SqlValues.uuid(a[0]), ((Number) a[1]).longValue());
        }
        return out;
    }
}
