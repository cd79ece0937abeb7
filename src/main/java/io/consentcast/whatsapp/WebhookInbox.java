package io.consentcast.whatsapp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.jboss.logging.Logger;

import io.consentcast.shared.Ids;
import io.consentcast.tenancy.TenantScope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * The platform inbox of webhook payloads: stored first (in the request's transaction), processed
 * after by a single background thread kicked after commit and by a scheduled sweep that also
 * picks up whatever a restart interrupted.
 * <p>
 * A worker claims a row by setting {@code claimed_until} with a conditional UPDATE (needs no row
 * locks); a row whose claim has expired is taken over. A row
 * that fails is retried with exponential backoff (30 s, 1 min, 2 min ... capped at 1 h) and
 * parked as FAILED after {@code consentcast.whatsapp.inbox.max-attempts}. Processing itself is
 * idempotent ({@link WebhookProcessor}), so a row processed twice (a crash after the work
 * committed but before the row was marked DONE) has no second effect.
 */
@ApplicationScoped
public class WebhookInbox {

    private static final Logger LOG = Logger.getLogger(WebhookInbox.class);

    @Inject
    EntityManager em;

    @Inject
    TenantScope tenantScope;

    @Inject
    WebhookProcessor processor;

    @Inject
    WhatsAppConfig config;

    @Inject
    Clock clock;

    @Inject
    TransactionSynchronizationRegistry transactions;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "whatsapp-inbox");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean kickPending = new AtomicBoolean();

    /** Stores a payload in the current transaction (or a new one) and processes it soon after commit. */
    public UUID store(String source, String payload) {
        return store(source, payload, true);
    }

    /** Stores a payload; with {@code kick} false the caller processes it itself ({@link #process}). */
    UUID store(String source, String payload, boolean kick) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            InboxEntry e = new InboxEntry();
            e.id = Ids.uuid7(clock);
            e.source = source;
            e.payload = payload;
            e.receivedAt = clock.instant();
            e.status = InboxEntry.PENDING;
            e.attempts = 0;
            e.nextAttemptAt = e.receivedAt;
            em.persist(e);
            if (!kick) {
                return e.id;
            }
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
            return e.id;
        });
    }

    /** Asks the background thread to process pending rows (coalesced: at most one run queued). */
    /** Waits (bounded) until another worker has finished with row {@code id}: done, failed or rescheduled. */
    public void awaitHandled(UUID id, java.time.Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            Boolean busy = tenantScope.platform(() -> {
                InboxEntry e = em.find(InboxEntry.class, id);
                return e != null && InboxEntry.PENDING.equals(e.status) && e.claimedUntil != null
                        && e.claimedUntil.isAfter(clock.instant());
            });
            if (!busy) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public void kick() {
        if (kickPending.compareAndSet(false, true)) {
            try {
                worker.submit(() -> {
                    kickPending.set(false);
                    try {
                        processPending();
                    } catch (RuntimeException e) {
                        LOG.warn("WhatsApp inbox run failed; the scheduled sweep will retry", e);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                kickPending.set(false);
            }
        }
    }

    @Scheduled(every = "${consentcast.whatsapp.inbox.every:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "whatsapp-inbox")
    void sweep() {
        processPending();
        Instant cutoff = clock.instant().minus(config.inbox().retention());
        tenantScope.platform(() -> em.createQuery("delete from InboxEntry e where e.status = 'DONE' and e.processedAt < :c")
                .setParameter("c", cutoff).executeUpdate());
    }

    /** Processes due rows until none is left; returns how many were processed successfully. */
    public int processPending() {
        int done = 0;
        while (true) {
            Instant now = clock.instant();
            List<UUID> due = tenantScope.platform(() -> em.createQuery(
                    "select e.id from InboxEntry e where e.status = 'PENDING' and e.nextAttemptAt <= :now"
                            + " and (e.claimedUntil is null or e.claimedUntil < :now) order by e.receivedAt, e.id",
                    UUID.class).setParameter("now", now).setMaxResults(config.inbox().batchSize()).getResultList());
            if (due.isEmpty()) {
                return done;
            }
            int claimed = 0;
            for (UUID id : due) {
                Boolean ok = process(id);
                if (ok != null) {
                    claimed++;
                    done += ok ? 1 : 0;
                }
            }
            if (claimed == 0) {
                return done; // everything due is being handled elsewhere
            }
        }
    }

    /**
     * Claims and processes one row. Returns true when processed, false when it failed (and was
     * rescheduled), null when another worker holds it or it is no longer pending.
     */
    public Boolean process(UUID id) {
        Instant now = clock.instant();
        Instant until = now.plus(config.inbox().claimDuration());
        String payload = tenantScope.platform(() -> {
            int n = em.createQuery("update InboxEntry e set e.claimedUntil = :until, e.attempts = e.attempts + 1"
                    + " where e.id = :id and e.status = 'PENDING' and (e.claimedUntil is null or e.claimedUntil < :now)")
                    .setParameter("until", until).setParameter("id", id).setParameter("now", now).executeUpdate();
            if (n != 1) {
                return null;
            }
            InboxEntry e = em.find(InboxEntry.class, id);
            return e.source + "\n" + e.payload;
        });
        if (payload == null) {
            return null;
        }
        int nl = payload.indexOf('\n');
        try {
            processor.process(payload.substring(0, nl), payload.substring(nl + 1));
        } catch (RuntimeException ex) {
            LOG.warnf("WhatsApp webhook %s failed: %s", id, ex.toString());
            tenantScope.platform(() -> {
                InboxEntry e = em.find(InboxEntry.class, id);
                e.claimedUntil = null;
                e.lastError = ChannelSettingsService.truncate(String.valueOf(ex), 2000);
                if (e.attempts >= config.inbox().maxAttempts()) {
                    e.status = InboxEntry.FAILED;
                    LOG.errorf("WhatsApp webhook %s parked as FAILED after %d attempts", id, e.attempts);
                } else {
                    long seconds = Math.min(3600, 30L << Math.min(e.attempts - 1, 10));
                    e.nextAttemptAt = clock.instant().plus(Duration.ofSeconds(seconds));
                }
                return null;
            });
            return false;
        }
        tenantScope.platform(() -> {
            InboxEntry e = em.find(InboxEntry.class, id);
            e.status = InboxEntry.DONE;
            e.processedAt = clock.instant();
            e.claimedUntil = null;
            e.lastError = null;
            return null;
        });
        return true;
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
