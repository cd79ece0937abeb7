package io.consentcast.dispatch;

import static io.consentcast.shared.SqlValues.ts;
import static io.consentcast.shared.SqlValues.uuid;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.consentcast.audit.ActivityDetails;
import io.consentcast.audit.ActivityKind;
import io.consentcast.audit.ActivityLog;
import io.consentcast.audit.ActivitySubject;
import io.consentcast.dispatch.DispatchWork.JobRef;
import io.consentcast.shared.SqlValues;
import io.consentcast.tenancy.TenantScope;

/**
 * The engine's work on issues, each in its own short transaction: claiming platform jobs (START, RUN) with a
 * lease, starting and re-checking issues, the crash rule and the end of the outcome window for rows in flight,
 * and finishing an issue when no row is open. {@link DispatchWork} does the work on delivery rows.
 */
@ApplicationScoped
public class DispatchJobs {

    private static final String OUTCOME_UNKNOWN = DispatchWork.OUTCOME_UNKNOWN;
    private static final String CANCELLED = DispatchWork.CANCELLED;

    @Inject
    EntityManager em;

    @Inject
    ActivityLog activity;

    @Inject
    TenantScope tenantScope;

    @Inject
    HeaderMedia headerMedia;

    @Inject
    IssueStore store;

    @Inject
    IssueLifecycle lifecycle;

    @Inject
    Preflight preflight;

    @Inject
    AudienceMaterialiser materialiser;

    @Inject
    DispatchConfig config;

    @Inject
    Clock clock;

    /** Claims due jobs of a kind with FOR UPDATE SKIP LOCKED and a lease: exactly one instance gets each. */
    public List<JobRef> claimJobs(JobKind kind, String owner, int limit) {
        return tenantScope.platform(() -> {
            Instant now = clock.instant();
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("SELECT issue_id, tenant_id FROM dispatch_jobs WHERE kind = ?1"
                    + " AND due_at <= ?2 AND (lease_until IS NULL OR lease_until < ?2) ORDER BY due_at LIMIT ?3"
                    + " FOR UPDATE SKIP LOCKED")
                    .setParameter(1, SqlValues.name(kind)).setParameter(2, ts(now)).setParameter(3, limit).getResultList();
            List<JobRef> out = new ArrayList<>();
            for (Object[] r : rows) {
                UUID id = uuid(r[0]);
                em.createQuery("update DispatchJob j set j.leaseUntil = :until, j.leaseOwner = :owner"
                        + " where j.issueId = :id").setParameter("until", now.plus(config.lease()))
                        .setParameter("owner", owner).setParameter("id", id).executeUpdate();
                out.add(new JobRef(id, (String) r[1]));
            }
            return out;
        });
    }

    /** A sending or preparing issue's job; {@code claimable}: a preparation nobody holds (no lease, or it expired). */
    public record Running(JobRef job, JobKind kind, boolean claimable) {
    }

    /** Issues that are sending or preparing, in every workspace (read from the platform table only). */
    public List<Running> runningJobs() {
        return tenantScope.platform(() -> {
            Instant now = clock.instant();
            return em.createQuery("select j.issueId, j.tenantId, j.kind, j.leaseUntil from DispatchJob j"
                    + " where j.kind in (:kinds) order by j.dueAt", Object[].class)
                    .setParameter("kinds", List.of(JobKind.RUN, JobKind.PREPARE)).getResultStream()
                    .map(r -> new Running(new JobRef((UUID) r[0], (String) r[1]), (JobKind) r[2],
                            r[2] == JobKind.PREPARE && (r[3] == null || ((Instant) r[3]).isBefore(now))))
                    .toList();
        });
    }

    /**
     * Takes a preparation's lease if nobody holds it (none, or it expired: its worker died or stalled). Exactly one
     * instance at a time decides an issue's next chunk; the others send the rows decided so far.
     */
    public boolean claimPreparation(JobRef job, String owner) {
        return tenantScope.platform(() -> {
            Instant now = clock.instant();
            return em.createQuery("update DispatchJob j set j.leaseUntil = :until, j.leaseOwner = :owner"
                    + " where j.issueId = :id and j.kind = :prepare and (j.leaseUntil is null or j.leaseUntil < :now)")
                    .setParameter("until", now.plus(config.lease())).setParameter("owner", owner)
                    .setParameter("id", job.issueId()).setParameter("prepare", JobKind.PREPARE)
                    .setParameter("now", now).executeUpdate() == 1;
        });
    }

    /**
     * Decides the next chunk of a preparing issue's audience ({@code audience-chunk} members of its list, see
     * {@link AudienceMaterialiser#materialiseChunk}), in one transaction that holds the issue's row lock: the rows,
     * the issue's cursor and counts, and the renewed lease commit together, so a crash loses the chunk whole and
     * the next holder of the lease writes it (never twice). Returns whether another chunk is to come from this
     * owner: false when the audience is complete (the issue is SENDING, or keeps its pause), when the issue was
     * cancelled (deciding stops), or when this owner lost the lease (its lease expired and another instance took
     * the preparation over).
     */
    public boolean prepare(JobRef job, String owner) {
        return tenantScope.call(job.tenantId(), () -> {
            NewsletterIssue i = em.find(NewsletterIssue.class, job.issueId());
            if (i == null) {
                return false;
            }
            i = store.lock(i.id);
            DispatchJob j = em.find(DispatchJob.class, i.id);
            Instant now = clock.instant();
            if (j == null || j.kind != JobKind.PREPARE || !owner.equals(j.leaseOwner) || j.leaseUntil == null
                    || j.leaseUntil.isBefore(now)) {
                return false; // cancelled (its job changed), or taken over by another instance
            }
            if (!i.preparing()) {
                return false;
            }
            if (i.audienceMembers == null) {
                i.audienceMembers = materialiser.members(i);
            }
            AudienceMaterialiser.Chunk chunk = materialiser.materialiseChunk(i, config.audienceChunk(), now);
            i.audienceSize = (i.audienceSize == null ? 0 : i.audienceSize) + chunk.rows();
            i.audienceExcluded = (i.audienceExcluded == null ? 0 : i.audienceExcluded) + chunk.excluded();
            i.audienceAfter = chunk.through();
            i.updatedAt = now;
            if (chunk.last()) {
                lifecycle.prepared(i);
                return false;
            }
            j.leaseUntil = now.plus(config.lease());
            return true;
        });
    }

    /**
     * Before {@link #advance}: uploads the issue's header file for its list's number when it needs one
     * ({@link HeaderMedia#prepare}), with no transaction open.
     */
    public void uploadHeader(JobRef job) {
        headerMedia.prepare(job.tenantId(), job.issueId());
    }

    /** Starts or re-checks a scheduled, blocked or system-paused issue whose job this instance holds. */
    public void advance(JobRef job, String owner) {
        tenantScope.run(job.tenantId(), () -> {
            NewsletterIssue i = em.find(NewsletterIssue.class, job.issueId());
            if (i == null) {
                lifecycle.deleteJob(job.issueId());
                return;
            }
            i = store.lock(i.id);
            boolean waiting = i.status == IssueStatus.SCHEDULED || i.status == IssueStatus.BLOCKED
                    || (i.status == IssueStatus.PAUSED && i.pausedBySystem);
            if (!waiting) {
                if (!i.status.sends()) {
                    lifecycle.deleteJob(i.id);
                }
                return;
            }
            recoverExpired(i.id);
            lifecycle.advance(i);
            release(job.issueId(), owner);
        });
    }

    /**
     * The periodic check of a sending issue (one instance at a time, by the job's lease): preflight
     * again (BLOCKED when it fails), recover rows whose lease expired, finish when nothing is open.
     */
    public void recheck(JobRef job, String owner) {
        tenantScope.run(job.tenantId(), () -> {
            NewsletterIssue i = em.find(NewsletterIssue.class, job.issueId());
            if (i != null && i.status == IssueStatus.CANCELLED) {
                settleCancelled(i);
                return;
            }
            if (i != null && i.status == IssueStatus.PAUSED && !i.pausedBySystem) {
                settlePaused(i);
                return;
            }
            if (i == null || i.status != IssueStatus.SENDING) {
                if (i == null || !(i.status == IssueStatus.PAUSED && i.pausedBySystem)) {
                    lifecycle.deleteJob(job.issueId());
                }
                return;
            }
            i = store.lock(i.id);
            recoverExpired(i.id);
            if (!finishIfDone(i)) {
                String problem = preflight.check(i, clock.instant());
                if (problem != null) {
                    i.moveTo(IssueStatus.BLOCKED);
                    i.blockedReason = problem;
                    i.updatedAt = clock.instant();
                    lifecycle.job(i, JobKind.START, clock.instant().plus(config.recheck()));
                } else {
                    lifecycle.job(i, JobKind.RUN, clock.instant().plus(config.recheck()));
                }
                release(i.id, owner);
            }
        });
    }

    /** A cancelled issue whose rows were in flight: expired ones are settled, the job ends when none is open. */
    private void settleCancelled(NewsletterIssue i) {
        recoverExpired(i.id);
        em.createQuery("update IssueDelivery d set d.state = :excluded, d.reason = :reason, d.claimedBy = null,"
                + " d.leaseUntil = null, d.updatedAt = :now where d.issueId = :id and d.state = :pending")
                .setParameter("excluded", DeliveryState.EXCLUDED).setParameter("reason", CANCELLED)
                .setParameter("now", clock.instant()).setParameter("id", i.id)
                .setParameter("pending", DeliveryState.PENDING).executeUpdate();
        if (openRows(i.id) == 0) {
            lifecycle.deleteJob(i.id);
        } else {
            lifecycle.job(i, JobKind.RUN, clock.instant().plus(config.recheck()));
        }
    }

    /**
     * An issue paused by a person keeps its job while rows are in flight or awaiting their outcome, so that
     * they are settled (crash rule, end of the outcome window) although nobody resumes it.
     */
    private void settlePaused(NewsletterIssue i) {
        recoverExpired(i.id);
        long inFlight = em.createQuery("select count(d) from IssueDelivery d where d.issueId = :id"
                + " and d.state in (:inFlight)", Long.class).setParameter("id", i.id)
                .setParameter("inFlight", DeliveryState.IN_FLIGHT).getSingleResult();
        if (inFlight == 0) {
            lifecycle.deleteJob(i.id);
        } else {
            lifecycle.job(i, JobKind.RUN, clock.instant().plus(config.recheck()));
        }
    }

    /** Marks a sending issue DONE when no row is open any more; returns whether it did. */
    public boolean finishIfDone(JobRef job) {
        return tenantScope.call(job.tenantId(), () -> {
            NewsletterIssue i = em.find(NewsletterIssue.class, job.issueId());
            if (i == null || i.status != IssueStatus.SENDING || openRows(i.id) > 0) {
                return false;
            }
            return finishIfDone(store.lock(i.id));
        });
    }

    private boolean finishIfDone(NewsletterIssue i) {
        if (i.status != IssueStatus.SENDING || openRows(i.id) > 0) {
            return false;
        }
        i.moveTo(IssueStatus.DONE);
        i.finishedAt = clock.instant();
        i.updatedAt = i.finishedAt;
        lifecycle.deleteJob(i.id);
        activity.record(null, ActivityKind.ISSUE_COMPLETED, ActivitySubject.issue(i.id),
                new ActivityDetails.IssueCompleted(i.title, rows(i.id, DeliveryState.SENT),
                        rows(i.id, DeliveryState.FAILED)));
        return true;
    }

    private long rows(UUID issueId, DeliveryState state) {
        return em.createQuery("select count(d) from IssueDelivery d where d.issueId = :id and d.state = :state",
                Long.class).setParameter("id", issueId).setParameter("state", state).getSingleResult();
    }

    private long openRows(UUID issueId) {
        return em.createQuery("select count(d) from IssueDelivery d where d.issueId = :id and d.state in (:open)",
                Long.class).setParameter("id", issueId).setParameter("open", DeliveryState.OPEN).getSingleResult();
    }

    /**
     * Crash recovery and the end of the outcome window. A CLAIMED row was never handed to the channel: back
     * to PENDING. A SENDING row was perhaps sent (Meta has no idempotency key): it is not sent again but
     * AWAITING its outcome for {@code outcome-window}; a status webhook naming it (callback data) turns it
     * SENT, and its worker, should it still be alive, may still record the real answer (it keeps
     * {@code claimed_by}). An AWAITING row whose window has ended is FAILED {@value #OUTCOME_UNKNOWN}
     * (a later status webhook still turns it SENT).
     */
    int recoverExpired(UUID issueId) {
        Instant now = clock.instant();
        int released = em.createQuery("update IssueDelivery d set d.state = :pending, d.claimedBy = null,"
                + " d.leaseUntil = null, d.updatedAt = :now where d.issueId = :id and d.state = :claimed"
                + " and d.leaseUntil < :now").setParameter("pending", DeliveryState.PENDING)
                .setParameter("claimed", DeliveryState.CLAIMED).setParameter("now", now).setParameter("id", issueId)
                .executeUpdate();
        int unknown = em.createQuery("update IssueDelivery d set d.state = :failed, d.reason = :reason,"
                + " d.leaseUntil = null, d.updatedAt = :now where d.issueId = :id and d.state = :awaiting"
                + " and d.leaseUntil < :now")
                .setParameter("failed", DeliveryState.FAILED).setParameter("reason", OUTCOME_UNKNOWN)
                .setParameter("awaiting", DeliveryState.AWAITING).setParameter("now", now).setParameter("id", issueId)
                .executeUpdate();
        int awaiting = em.createQuery("update IssueDelivery d set d.state = :awaiting, d.leaseUntil = :until,"
                + " d.updatedAt = :now where d.issueId = :id and d.state = :sending and d.leaseUntil < :now")
                .setParameter("awaiting", DeliveryState.AWAITING).setParameter("until", now.plus(config.outcomeWindow()))
                .setParameter("sending", DeliveryState.SENDING).setParameter("now", now).setParameter("id", issueId)
                .executeUpdate();
        return released + unknown + awaiting;
    }

    private void release(UUID issueId, String owner) {
        em.createQuery("update DispatchJob j set j.leaseUntil = null, j.leaseOwner = null where j.issueId = :id"
                + " and j.leaseOwner = :owner").setParameter("id", issueId).setParameter("owner", owner)
                .executeUpdate();
    }
}
