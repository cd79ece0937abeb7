package io.consentcast.whatsapp;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.consentcast.tenancy.TenantScope;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Processes a batch of rows claimed from {@link WebhookInbox} and records what became of each: DONE, PARKED with its
 * reason (counted, logged), or rescheduled after a failure worth a retry (FAILED after {@code max-attempts}).
 */
@ApplicationScoped
class InboxBatches {

    private static final Logger LOG = Logger.getLogger(InboxBatches.class);

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
    MeterRegistry metrics;

    /**
     * Processes claimed rows (each the oldest of its sender, so they are independent of each other) and records
     * their outcomes; returns how many were processed or parked. The rows whose whole payload belongs to one
     * workspace are handled together, in one transaction per workspace that also marks them DONE; when one of them
     * fails, that transaction rolls back and each row is handled in a transaction of its own, so only the failing
     * row is retried. Other rows (several workspaces, template updates) are handled one by one.
     */
    int handle(List<WebhookInbox.Claimed> batch) {
        List<UUID> done = new ArrayList<>(batch.size());
        List<Runnable> others = new ArrayList<>();
        Map<String, List<Planned>> byWorkspace = new LinkedHashMap<>();
        List<Planned> single = new ArrayList<>();
        int failed = 0;
        for (WebhookInbox.Claimed c : batch) {
            WebhookPlan plan;
            try {
                plan = processor.plan(c.source(), c.payload());
            } catch (RuntimeException ex) {
                failed += fail(c, ex, others);
                continue;
            }
            if (plan.parked() != null) {
                others.add(() -> park(c, plan.parked()));
            } else if (plan.singleWorkspace() != null) {
                byWorkspace.computeIfAbsent(plan.singleWorkspace(), k -> new ArrayList<>()).add(new Planned(c, plan));
            } else {
                single.add(new Planned(c, plan));
            }
        }
        for (Map.Entry<String, List<Planned>> group : byWorkspace.entrySet()) {
            List<UUID> ids = group.getValue().stream().map(p -> p.claimed().id()).toList();
            try {
                tenantScope.run(group.getKey(), () -> {
                    group.getValue().forEach(p -> p.plan().changes().get(0).work().run());
                    markDone(ids);
                });
            } catch (RuntimeException ex) {
                if (group.getValue().size() == 1) {
                    failed += fail(group.getValue().get(0).claimed(), ex, others);
                    continue;
                }
                single.addAll(group.getValue()); // one by one, to find the row that fails
            }
        }
        for (Planned p : single) {
            try {
                for (WebhookPlan.Change change : p.plan().changes()) {
                    if (change.tenantId() == null) {
                        change.work().run();
                    } else {
                        tenantScope.run(change.tenantId(), change.work());
                    }
                }
                done.add(p.claimed().id());
            } catch (RuntimeException ex) {
                failed += fail(p.claimed(), ex, others);
            }
        }
        if (!done.isEmpty() || !others.isEmpty()) {
            tenantScope.platform(() -> {
                if (!done.isEmpty()) {
                    markDone(done);
                }
                others.forEach(Runnable::run);
                return null;
            });
        }
        return batch.size() - failed;
    }

    /** A claimed row and its plan. */
    private record Planned(WebhookInbox.Claimed claimed, WebhookPlan plan) {
    }

    private int fail(WebhookInbox.Claimed c, RuntimeException ex, List<Runnable> others) {
        LOG.warnf("WhatsApp webhook %s failed: %s", c.id(), ex.toString());
        others.add(() -> reschedule(c, ex));
        return 1;
    }

    /** Marks rows DONE, in the caller's transaction (a workspace's or the platform's: the inbox has no tenant). */
    private void markDone(List<UUID> ids) {
        em.createQuery("update InboxEntry e set e.status = 'DONE', e.processedAt = :now, e.claimedUntil = null,"
                + " e.lastError = null where e.id in :ids").setParameter("now", clock.instant()).setParameter("ids", ids)
                .executeUpdate();
    }

    private void park(WebhookInbox.Claimed c, WebhookPlan.Parked outcome) {
        InboxEntry e = em.find(InboxEntry.class, c.id());
        e.status = InboxEntry.PARKED;
        e.parkReason = outcome.reason();
        e.lastError = outcome.detail();
        e.tenantId = outcome.tenantId();
        e.processedAt = clock.instant();
        e.claimedUntil = null;
        metrics.counter("consentcast.whatsapp.webhook.parked", "reason", outcome.reason().name(), "routed",
                String.valueOf(outcome.tenantId() != null)).increment();
        LOG.warnf("WhatsApp webhook %s parked (acknowledged, never processed): %s, %s; %s", c.id(), outcome.reason(),
                outcome.detail(), outcome.tenantId() == null ? "unroutable, for the platform's operators"
                        : "shown to the admins of workspace " + outcome.tenantId());
    }

    private void reschedule(WebhookInbox.Claimed c, RuntimeException ex) {
        InboxEntry e = em.find(InboxEntry.class, c.id());
        e.claimedUntil = null;
        e.lastError = ChannelSettingsService.truncate(String.valueOf(ex), 2000);
        if (e.attempts >= config.inbox().maxAttempts()) {
            e.status = InboxEntry.FAILED;
            LOG.errorf("WhatsApp webhook %s marked FAILED after %d attempts", c.id(), e.attempts);
        } else {
            long seconds = Math.min(3600, 30L << Math.min(e.attempts - 1, 10));
            e.nextAttemptAt = clock.instant().plus(Duration.ofSeconds(seconds));
        }
    }
}
