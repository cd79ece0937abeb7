package io.consentcast.whatsapp;

import static io.consentcast.shared.SqlValues.uuid;
import static io.consentcast.shared.SqlValues.ts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentcast.shared.Ids;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.TenantScope;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * The platform inbox of webhook payloads: stored first (one short insert in the request's transaction), processed
 * after by a bounded pool of workers ({@code consentcast.whatsapp.inbox.workers}) woken after each commit, and by a
 * scheduled sweep that also picks up whatever a restart interrupted.
 * <p>
 * <b>Order.</b> Each row carries the key of its sender ({@link InboxParts}). A worker claims, with
 * {@code FOR UPDATE SKIP LOCKED} and a lease ({@code claimed_until}), only rows that are the oldest pending row of
 * their sender: while a sender's row is pending (being processed, or waiting for its retry), the sender's later rows
 * wait. So different senders are processed in parallel, by any worker of any instance, and one sender's messages
 * strictly in the order they arrived. Rows without a sender (statuses, template updates) are claimed freely.
 * <p>
 * <b>Outcomes.</b> Processed rows are marked DONE in one statement per claimed batch. A row whose content can never
 * be processed ({@link WebhookPlan.Parked}) is PARKED at once with its reason, counted and logged, never
 * retried. A row that fails for another reason (the database) is retried with exponential backoff (30 s, 1 min,
 * 2 min ... capped at 1 h) and marked FAILED after {@code max-attempts}. Processing is idempotent
 * ({@link WebhookProcessor}), so a row processed twice (a crash after its work committed but before it was marked
 * DONE) has no second effect.
 */
@ApplicationScoped
public class WebhookInbox {

    private static final Logger LOG = Logger.getLogger(WebhookInbox.class);

    /** A claimed row. */
    record Claimed(UUID id, String source, String payload, int attempts) {
    }

    /** A parked payload as a workspace's admins see it: when it came, why it was parked. */
    public record ParkedWebhook(UUID id, Instant receivedAt, ParkReason reason, String detail) {
    }

    @Inject
    EntityManager em;

    @Inject
    TenantScope tenantScope;

    @Inject
    InboxBatches batches;

    @Inject
    WhatsAppConfig config;

    @Inject
    Clock clock;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry metrics;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    CurrentTenant currentTenant;

    private final WakeablePool workers = new WakeablePool("whatsapp-inbox", () -> config.inbox().workers(),
            () -> config.inbox().batchSize(), () -> {
                List<Claimed> batch = claim(null);
                if (!batch.isEmpty()) {
                    batches.handle(batch);
                }
                return batch.size();
            });
    private final AtomicLong pendingRows = new AtomicLong();
    private final AtomicLong unroutedParked = new AtomicLong();

    void registerGauges(@Observes StartupEvent start) {
        metrics.gauge("consentcast.whatsapp.inbox.pending", pendingRows);
        metrics.gauge("consentcast.whatsapp.inbox.parked.unrouted", unroutedParked);
    }

    /** Stores a payload in the current transaction (or a new one) and processes it soon after commit. */
    public UUID store(String source, String payload) {
        return store(source, payload, true);
    }

    /**
     * Stores a payload (one row per sender, see {@link InboxParts}); with {@code kick} false the caller processes it
     * itself ({@link #process}). NUL bytes, which no database text holds, are stored as the JSON escape
     * {@code \u0000}: the processor parks the payload. Returns the id of the first row.
     */
    UUID store(String source, String payload, boolean kick) {
        String text = payload.indexOf('\0') >= 0 ? payload.replace("\0", "\\u0000") : payload;
        List<InboxParts.Part> parts = InboxParts.of(json, text);
        return QuarkusTransaction.joiningExisting().call(() -> {
            UUID first = null;
            for (InboxParts.Part part : parts) {
                InboxEntry e = new InboxEntry();
                e.id = Ids.uuid7(clock);
                e.source = source;
                e.payload = part.payload();
                e.orderKey = part.orderKey();
                e.receivedAt = clock.instant();
                e.status = InboxEntry.PENDING;
                e.attempts = 0;
                e.nextAttemptAt = e.receivedAt;
                em.persist(e);
                first = first == null ? e.id : first;
            }
            if (kick) {
                transactions.registerInterposedSynchronization(new Synchronization() {
                    @Override
                    public void beforeCompletion() {
                    }

                    @Override
                    public void afterCompletion(int status) {
                        if (status == Status.STATUS_COMMITTED) {
                            kick();
                        }
                    }
                });
            }
            return first;
        });
    }

    /**
     * The newest parked payloads routed to the current workspace (at most {@code limit}). Payloads no workspace could
     * be named for are the platform operators' concern: logged, counted in the metrics, kept in the inbox.
     */
    public List<ParkedWebhook> parked(int limit) {
        return QuarkusTransaction.joiningExisting().call(() -> em.createQuery("from InboxEntry e where e.status = 'PARKED'"
                + " and e.tenantId = :t order by e.receivedAt desc, e.id desc", InboxEntry.class)
                .setParameter("t", currentTenant.id()).setMaxResults(limit).getResultStream()
                .map(e -> new ParkedWebhook(e.id, e.receivedAt, e.parkReason, e.lastError)).toList());
    }

    /** Waits (bounded) until row {@code id} is no longer pending: done, parked, failed or waiting for a retry. */
    public void awaitHandled(UUID id, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            Boolean pending = tenantScope.platform(() -> {
                InboxEntry e = em.find(InboxEntry.class, id);
                return e != null && InboxEntry.PENDING.equals(e.status) && !e.nextAttemptAt.isAfter(clock.instant());
            });
            if (!pending) {
                return;
            }
            kick();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Wakes the workers (see {@link WakeablePool}). */
    public void kick() {
        workers.kick();
    }

    @Scheduled(every = "${consentcast.whatsapp.inbox.every:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "whatsapp-inbox")
    void sweep() {
        kick();
        Instant cutoff = clock.instant().minus(config.inbox().retention());
        tenantScope.platform(() -> em.createQuery("delete from InboxEntry e where e.status in ('DONE', 'PARKED')"
                + " and e.processedAt < :c").setParameter("c", cutoff).executeUpdate());
        tenantScope.platform(() -> {
            pendingRows.set(em.createQuery("select count(e) from InboxEntry e where e.status = 'PENDING'", Long.class)
                    .getSingleResult());
            unroutedParked.set(em.createQuery("select count(e) from InboxEntry e where e.status = 'PARKED'"
                    + " and e.tenantId is null", Long.class).getSingleResult());
            return null;
        });
    }

    /** Processes due rows in the calling thread until none is left; returns how many were processed. */
    public int processPending() {
        int done = 0;
        while (true) {
            List<Claimed> batch = claim(null);
            if (batch.isEmpty()) {
                return done;
            }
            done += batches.handle(batch);
        }
    }

    /**
     * Claims and processes one row, if it is due and the oldest pending row of its sender. Returns true when
     * processed (or parked), false when it failed (and was rescheduled), null when it could not be claimed.
     */
    public Boolean process(UUID id) {
        List<Claimed> one = claim(id);
        return one.isEmpty() ? null : batches.handle(one) == 1;
    }

    /** Claims up to {@code batch-size} due rows, each the oldest pending row of its sender (or only {@code id}). */
    List<Claimed> claim(UUID id) {
        return tenantScope.platform(() -> {
            Instant now = clock.instant();
            preferOrderedScan();
            var query = em.createNativeQuery("SELECT i.id, i.source, i.payload, i.attempts"
                    + " FROM whatsapp_webhook_inbox i WHERE i.status = 'PENDING' AND i.next_attempt_at <= ?1"
                    + " AND (i.claimed_until IS NULL OR i.claimed_until < ?1)"
                    + (id == null ? "" : " AND i.id = ?3")
                    + " AND (i.order_key IS NULL OR NOT EXISTS (SELECT 1 FROM whatsapp_webhook_inbox j"
                    + " WHERE j.order_key = i.order_key AND j.status = 'PENDING' AND j.seq < i.seq))"
                    + " ORDER BY i.seq LIMIT ?2 FOR UPDATE SKIP LOCKED")
                    .setParameter(1, ts(now)).setParameter(2, id == null ? config.inbox().batchSize() : 1);
            if (id != null) {
                query.setParameter(3, id);
            }
            @SuppressWarnings("unchecked")
            List<Object[]> rows = query.getResultList();
            if (rows.isEmpty()) {
                return List.of();
            }
            List<Claimed> out = new ArrayList<>(rows.size());
            for (Object[] r : rows) {
                out.add(new Claimed(uuid(r[0]), (String) r[1], (String) r[2], ((Number) r[3]).intValue() + 1));
            }
            em.createQuery("update InboxEntry e set e.claimedUntil = :until, e.attempts = e.attempts + 1"
                    + " where e.id in :ids").setParameter("until", now.plus(config.inbox().claimDuration()))
                    .setParameter("ids", out.stream().map(Claimed::id).toList()).executeUpdate();
            return out;
        });
    }

    /**
     * Walk the pending rows through the index in arrival order and stop after a batch, instead of reading
     * and sorting every pending row (the plan the statistics suggest while a burst is still unknown to them: 357 ms
     * per claim at a backlog of 24,000 rows, quadratic in the backlog). For the current transaction only.
     */
    void preferOrderedScan() {
        em.createNativeQuery("SELECT set_config('enable_sort', 'off', true)").getSingleResult();
    }

    @PreDestroy
    void stop() {
        workers.shutdown();
    }
}
