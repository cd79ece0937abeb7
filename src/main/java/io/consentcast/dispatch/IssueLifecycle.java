package io.consentcast.dispatch;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.consentcast.dispatch.IssueService.Created;
import io.consentcast.shared.ApiException;
import io.consentcast.shared.Dates;
import io.consentcast.shared.Validation;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.whatsapp.ChannelSettingsService;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The life of an issue once composed: schedule, send now, pause, resume, cancel, and the engine's moves on
 * (advance when its time has come, start). Every change of status goes through {@link NewsletterIssue#moveTo}
 * (the transition table on {@link IssueStatus}); every change that needs the engine writes the issue's platform
 * {@link DispatchJob} row in the same transaction. See docs/DISPATCH.md.
 */
@ApplicationScoped
public class IssueLifecycle {

    @Inject
    EntityManager em;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    IssueStore store;

    @Inject
    Preflight preflight;

    @Inject
    io.consentcast.whatsapp.PortfolioCapacity capacity;

    @Inject
    io.consentcast.lists.ListService lists;

    @Inject
    ChannelSettingsService channelSettings;

    @Inject
    DispatchConfig config;

    @Inject
    Clock clock;

    /** Schedules (or reschedules) an issue for {@code at}; the preflight runs now, for that time. */
    public Created schedule(UUID id, String scheduledAt) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            NewsletterIssue i = store.lock(id);
            if (!i.status.editable()) {
                throw ApiException.conflict("dispatch.not-schedulable", null);
            }
            Instant at = null;
            Validation v = new Validation();
            try {
                at = scheduledAt == null ? null : Dates.instant(scheduledAt);
                v.check(at != null, "scheduledAt", "dispatch.scheduled-at-invalid");
                v.check(at == null || !at.isBefore(clock.instant()), "scheduledAt", "dispatch.scheduled-in-past");
            } catch (DateTimeParseException e) {
                v.check(false, "scheduledAt", "dispatch.scheduled-at-invalid");
            }
            v.throwIfInvalid();
            schedule(i, at);
            return new Created(i.id, i.status);
        });
    }

    void schedule(NewsletterIssue i, Instant at) {
        i.scheduledAt = at;
        i.updatedAt = clock.instant();
        String problem = preflight.check(i, at);
        if (problem == null) {
            i.moveTo(IssueStatus.SCHEDULED);
            i.blockedReason = null;
            job(i, JobKind.START, at);
        } else {
            i.moveTo(IssueStatus.BLOCKED);
            i.blockedReason = problem;
            job(i, JobKind.START, recheckAt());
        }
    }

    /**
     * Sends now: preflight, then the issue is PREPARING and the engine takes over (it decides the audience in
     * chunks and sends meanwhile); the request writes no delivery row.
     */
    public Created sendNow(UUID id) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            NewsletterIssue i = store.lock(id);
            if (!i.status.editable()) {
                throw ApiException.conflict("dispatch.not-sendable", null);
            }
            i.scheduledAt = clock.instant();
            String problem = preflight.check(i, i.scheduledAt);
            if (problem != null) {
                i.moveTo(IssueStatus.BLOCKED);
                i.blockedReason = problem;
                i.updatedAt = clock.instant();
                job(i, JobKind.START, recheckAt());
            } else {
                start(i);
            }
            return new Created(i.id, i.status);
        });
    }

    public Created pause(UUID id) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            NewsletterIssue i = store.lock(id);
            if (!i.status.sends() && i.status != IssueStatus.SCHEDULED && i.status != IssueStatus.BLOCKED
                    && !(i.status == IssueStatus.PAUSED && i.pausedBySystem)) {
                throw ApiException.conflict("dispatch.not-pausable", null);
            }
            pauseIssue(i, "dispatch.paused-by-user", false);
            return new Created(i.id, i.status);
        });
    }

    public Created resume(UUID id) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            NewsletterIssue i = store.lock(id);
            if (i.status != IssueStatus.PAUSED) {
                throw ApiException.conflict("dispatch.not-resumable", null);
            }
            if (lists.byId(i.listId).map(preflight::marketingPaused).orElse(false)) {
                // Resuming after a quality pause is deliberate: first marketing is resumed on the channel page.
                throw ApiException.conflict("dispatch.resume-marketing-paused", null);
            }
            i.pausedReason = null;
            i.pausedBySystem = false;
            i.updatedAt = clock.instant();
            i.moveTo(i.startedAt == null ? IssueStatus.SCHEDULED : i.audienceReady ? IssueStatus.SENDING
                    : IssueStatus.PREPARING);
            if (i.startedAt == null && i.scheduledAt != null && i.scheduledAt.isAfter(clock.instant())) {
                schedule(i, i.scheduledAt);
            } else {
                advance(i);
            }
            return new Created(i.id, i.status);
        });
    }

    public Created cancel(UUID id) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            NewsletterIssue i = store.lock(id);
            if (i.status.finished()) {
                throw ApiException.conflict("dispatch.not-cancellable", null);
            }
            Instant now = clock.instant();
            i.moveTo(IssueStatus.CANCELLED);
            i.finishedAt = i.startedAt == null ? null : now;
            i.updatedAt = now;
            // Rows not yet handed to the channel will not be sent; rows in flight finish by their worker. A preparation
            // stops at its next chunk (the job is no longer PREPARE): members not decided yet get no row.
            // Rows waiting for a retry after Meta refused them (never accepted) hold a capacity reservation: given back.
            List<Long> retried = em.createQuery("select d.id from IssueDelivery d where d.issueId = :id"
                    + " and d.state = :pending and d.attempts > 0", Long.class).setParameter("id", id)
                    .setParameter("pending", DeliveryState.PENDING).getResultList();
            capacity.release(retried.stream().map(DeliveryCallback::of).toList());
            em.createQuery("update IssueDelivery d set d.state = :excluded, d.reason = 'cancelled', d.claimedBy = null,"
                    + " d.leaseUntil = null, d.updatedAt = :now where d.issueId = :id and d.state in (:open)")
                    .setParameter("excluded", DeliveryState.EXCLUDED).setParameter("now", now).setParameter("id", id)
                    .setParameter("open", List.of(DeliveryState.PENDING, DeliveryState.CLAIMED)).executeUpdate();
            if (inFlight(id) > 0) {
                // Keep the job so the re-check settles the rows in flight (their worker died, their outcome window ended).
                job(i, JobKind.RUN, now.plus(config.lease()));
            } else {
                deleteJob(i.id);
            }
            return new Created(i.id, i.status);
        });
    }

    void pauseIssue(NewsletterIssue i, String reason, boolean bySystem) {
        i.moveTo(IssueStatus.PAUSED);
        i.pausedReason = reason;
        i.pausedBySystem = bySystem;
        i.updatedAt = clock.instant();
        if (i.preparing()) {
            // Deciding sends nothing: the preparation goes on (its job and lease stay) and hands the job on when done.
            return;
        }
        pausedJob(i);
    }

    /** The job of a paused issue whose audience is decided. */
    void pausedJob(NewsletterIssue i) {
        if (i.pausedBySystem) {
            job(i, JobKind.START, recheckAt());
        } else if (inFlight(i.id) > 0) {
            // Keep the job so the re-check settles the rows in flight (their worker died, their outcome window ended).
            job(i, JobKind.RUN, recheckAt());
        } else {
            deleteJob(i.id);
        }
    }

    /** Rows handed to the channel whose outcome is not recorded yet (SENDING, AWAITING). */
    private long inFlight(UUID issueId) {
        return em.createQuery("select count(d) from IssueDelivery d where d.issueId = :id and d.state in (:inFlight)",
                Long.class).setParameter("id", issueId).setParameter("inFlight", DeliveryState.IN_FLIGHT)
                .getSingleResult();
    }

    /**
     * Moves a scheduled, blocked or system-paused issue on when its time has come: preflight, then
     * start (or continue) sending, or stay BLOCKED with the reason and be re-checked later.
     */
    void advance(NewsletterIssue i) {
        Instant now = clock.instant();
        if (i.status == IssueStatus.PAUSED && i.pausedBySystem && channelSettings.view().stopped()) {
            job(i, JobKind.START, recheckAt());
            return;
        }
        Instant at = i.scheduledAt == null || i.scheduledAt.isBefore(now) ? now : i.scheduledAt;
        String problem = preflight.check(i, at);
        i.updatedAt = now;
        if (problem != null) {
            if (i.status != IssueStatus.PAUSED) {
                i.moveTo(IssueStatus.BLOCKED);
                i.blockedReason = problem;
            }
            job(i, JobKind.START, recheckAt());
            return;
        }
        i.blockedReason = null;
        i.pausedReason = null;
        i.pausedBySystem = false;
        if (i.startedAt != null && !i.audienceReady) {
            i.moveTo(IssueStatus.PREPARING);
            job(i, JobKind.PREPARE, now);
        } else if (i.startedAt != null) {
            i.moveTo(IssueStatus.SENDING);
            job(i, JobKind.RUN, now);
        } else if (at.isAfter(now)) {
            i.moveTo(IssueStatus.SCHEDULED);
            job(i, JobKind.START, at);
        } else {
            start(i);
        }
    }

    /**
     * Starts the issue: PREPARING, with a PREPARE job due now. The engine writes the delivery rows (one per member
     * of the list, see {@link AudienceMaterialiser#materialiseChunk}) in chunks and sends the rows decided so far.
     */
    void start(NewsletterIssue i) {
        Instant now = clock.instant();
        i.moveTo(IssueStatus.PREPARING);
        i.startedAt = now;
        i.audienceReady = false;
        i.audienceAfter = null;
        i.audienceMembers = null;
        i.audienceSize = 0;
        i.audienceExcluded = 0;
        i.blockedReason = null;
        i.updatedAt = now;
        job(i, JobKind.PREPARE, now);
    }

    /**
     * Every member of a PREPARING (or, meanwhile, paused) issue has its row: a preparing issue is SENDING and its
     * job RUN; a paused one gets the job a pause would have given it.
     */
    void prepared(NewsletterIssue i) {
        i.audienceReady = true;
        i.updatedAt = clock.instant();
        if (i.status == IssueStatus.PREPARING) {
            i.moveTo(IssueStatus.SENDING);
            job(i, JobKind.RUN, clock.instant());
        } else if (i.status == IssueStatus.PAUSED) {
            pausedJob(i);
        }
    }

    private Instant recheckAt() {
        return clock.instant().plus(config.recheck());
    }

    /** Creates or moves the platform job of the issue (same transaction as the issue change). */
    void job(NewsletterIssue i, JobKind kind, Instant due) {
        DispatchJob j = em.find(DispatchJob.class, i.id);
        if (j == null) {
            j = new DispatchJob();
            j.issueId = i.id;
            j.tenantId = currentTenant.id();
            j.kind = kind;
            j.dueAt = due;
            em.persist(j);
        } else if (j.kind == JobKind.PREPARE && kind == JobKind.PREPARE && j.leaseUntil != null) {
            j.dueAt = due; // a preparation under way keeps its lease (its worker goes on with the next chunk)
        } else {
            j.kind = kind;
            j.dueAt = due;
            j.leaseUntil = null;
            j.leaseOwner = null;
        }
    }

    void deleteJob(UUID issueId) {
        em.createQuery("delete from DispatchJob where issueId = :id").setParameter("id", issueId).executeUpdate();
    }
}
