package io.consentcast.dispatch;

import static io.consentcast.dispatch.DispatchWork.batch;
import static io.consentcast.dispatch.DispatchWork.truncate;
import static io.consentcast.shared.SqlValues.literal;
import static io.consentcast.shared.SqlValues.literals;
import static io.consentcast.shared.SqlValues.ts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;
import org.jboss.logging.Logger;

import io.consentcast.dispatch.DispatchWork.Outcome;
import io.consentcast.dispatch.DispatchWork.Row;
import io.consentcast.dispatch.DispatchWork.RunContext;
import io.consentcast.dispatch.DispatchWork.Sent;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.whatsapp.ChannelService;
import io.consentcast.whatsapp.ErrorClass;
import io.consentcast.whatsapp.SendResult;

/**
 * The recorder's unit of work: the outcomes of a batch of sends of one issue, in one transaction (accepted
 * messages as one batched statement, failures row by row with their retry rules), then the channel's own
 * record of the wamids with the statuses that overtook it. Decides what a failure means for the row:
 * retried later, failed for the recipient, AWAITING an unknown outcome, or the issue paused.
 */
@ApplicationScoped
public class DeliveryOutcomes {

    private static final Logger LOG = Logger.getLogger(DeliveryOutcomes.class);
    private static final String OUTCOME_UNKNOWN = DispatchWork.OUTCOME_UNKNOWN;
    private static final String CANCELLED = DispatchWork.CANCELLED;
    private static final String RETRIES_EXHAUSTED = DispatchWork.RETRIES_EXHAUSTED;

    @Inject
    EntityManager em;

    @Inject
    TenantScope tenantScope;

    @Inject
    IssueStore store;

    @Inject
    IssueLifecycle lifecycle;

    @Inject
    ChannelService channel;

    @Inject
    DeliveryTracking tracking;

    @Inject
    LimitsGate limitsGate;

    @Inject
    DispatchConfig config;

    @Inject
    Clock clock;

    /**
     * Records the outcomes of several sends of one issue in one transaction (accepted messages in one
     * batched statement), then the channel's own record of the accepted ones; returns each row's
     * outcome, in order.
     */
    public List<Outcome> record(RunContext ctx, List<Sent> sent, String owner) {
        List<Outcome> result = tenantScope.call(ctx.tenantId(), () -> {
            Instant now = clock.instant();
            Outcome[] outcomes = new Outcome[sent.size()];
            List<Integer> accepted = new ArrayList<>();
            for (int k = 0; k < sent.size(); k++) {
                if (sent.get(k).result() instanceof SendResult.Accepted) {
                    accepted.add(k);
                }
            }
            if (!accepted.isEmpty()) {
                OffsetDateTime at = ts(now);
                em.unwrap(Session.class).doWork(c -> {
                    int[] counts = batch(c, "UPDATE issue_deliveries SET state = " + literal(DeliveryState.SENT) + ", reason = NULL,"
                            + " provider_message_id = ?, provider_status = 'accepted', sent_at = ?, claimed_by = NULL,"
                            + " lease_until = NULL, updated_at = ? WHERE id = ? AND claimed_by = ?"
                            + " AND (state IN (" + literals(DeliveryState.IN_FLIGHT) + ")"
                            + " OR (state = " + literal(DeliveryState.FAILED) + " AND reason = '" + OUTCOME_UNKNOWN + "'))",
                            accepted.size(), (ps, j) -> {
                                Sent sentRow = sent.get(accepted.get(j));
                                ps.setString(1, ((SendResult.Accepted) sentRow.result()).messageId());
                                ps.setObject(2, at);
                                ps.setObject(3, at);
                                ps.setLong(4, sentRow.row().id());
                                ps.setString(5, owner);
                            });
                    for (int j = 0; j < accepted.size(); j++) {
                        outcomes[accepted.get(j)] = counts[j] == 0 ? Outcome.LOST_LEASE : Outcome.SENT;
                    }
                });
            }
            List<Long> refused = new ArrayList<>();
            for (int k = 0; k < sent.size(); k++) {
                if (outcomes[k] == null) {
                    outcomes[k] = recordFailure(ctx, sent.get(k).row(), (SendResult.Failed) sent.get(k).result(),
                            owner, now, refused);
                }
            }
            // Sends Meta never accepted give their place in the portfolio's window back, in this same transaction.
            limitsGate.release(refused);
            return List.of(outcomes);
        });
        trackAccepted(ctx, sent);
        return result;
    }

    /**
     * The channel's own record of accepted messages (for status tracking), after the deliveries are
     * recorded and in its own transaction: failing to write it never undoes a SENT delivery, and the
     * status webhooks still find the delivery by its wamid or its callback data. Statuses that overtook
     * this record (a webhook processed before the delivery was SENT with its wamid) come back from the
     * channel and are applied here, so no delivery keeps a stale "accepted".
     */
    private void trackAccepted(RunContext ctx, List<Sent> sent) {
        List<ChannelService.Sent> accepted = sent.stream()
                .filter(s -> s.to() != null && s.result() instanceof SendResult.Accepted)
                .map(s -> new ChannelService.Sent(((SendResult.Accepted) s.result()).messageId(), s.to())).toList();
        if (accepted.isEmpty()) {
            return;
        }
        try {
            tenantScope.run(ctx.tenantId(), () -> tracking.applyAll(channel.record(accepted)));
        } catch (RuntimeException e) {
            LOG.warnf("%d accepted messages of issue %s were not recorded for status tracking: %s", accepted.size(),
                    ctx.issueId(), e.toString());
        }
        if (ctx.text() == null) {
            countTemplates(sent);
        }
    }

    /**
     * The accepted templates counted for the portfolio's messaging limit, one batched insert per sender (the workers
     * send with {@link ChannelService.Sender#sendCountingLater}); the capacity was reserved at the gate already.
     */
    private static void countTemplates(List<Sent> sent) {
        Map<ChannelService.Sender, List<String>> bySender = new IdentityHashMap<>();
        for (Sent s : sent) {
            if (s.to() != null && s.sender() != null && s.result() instanceof SendResult.Accepted) {
                bySender.computeIfAbsent(s.sender(), k -> new ArrayList<>()).add(s.to());
            }
        }
        bySender.forEach(ChannelService.Sender::countSends);
    }

    /**
     * Records one failed send. A send Meta certainly did not accept (it answered with an error, or the request never
     * left) whose row does not wait for a retry (FAILED, EXCLUDED, or back to PENDING under a paused issue) is added
     * to {@code refused}: its capacity reservation is given back. An unknown outcome (AWAITING) keeps it.
     */
    private Outcome recordFailure(RunContext ctx, Row row, SendResult.Failed f, String owner, Instant now,
            List<Long> refused) {
        IssueDelivery d = em.find(IssueDelivery.class, row.id());
        boolean mine = d != null && owner.equals(d.claimedBy) && (DeliveryState.IN_FLIGHT.contains(d.state)
                || (d.state == DeliveryState.FAILED && OUTCOME_UNKNOWN.equals(d.reason)));
        if (!mine) {
            return Outcome.LOST_LEASE;
        }
        d.updatedAt = now;
        d.errorCode = f.code();
        d.detail = f.message() == null ? null : truncate(f.message(), 500);
        ErrorClass ec = f.errorClass();
        if (f.code() != null && f.code() == 131047) {
            ec = ErrorClass.PERMANENT_RECIPIENT; // the 24-hour window is per recipient
        }
        switch (ec) {
            case RETRY_LATER, DELAY_RECIPIENT -> {
                if (d.attempts >= config.maxAttempts()) {
                    fail(d, RETRIES_EXHAUSTED);
                    refused.add(d.id);
                    return Outcome.RECIPIENT_FAILED;
                }
                Duration wait = ec == ErrorClass.DELAY_RECIPIENT
                        ? backoff(config.recipientDelay(), d.attempts, config.backoffMax())
                        : backoff(config.backoffBase(), d.attempts, config.backoffMax());
                if (f.retryNotBefore() != null && f.retryNotBefore().compareTo(wait) > 0) {
                    // Meta's suggested pause, honoured up to the configured maximum backoff.
                    wait = f.retryNotBefore().compareTo(config.backoffMax()) < 0 ? f.retryNotBefore()
                            : config.backoffMax();
                }
                if (cancelled(ctx.issueId())) {
                    d.state = DeliveryState.EXCLUDED;
                    d.reason = CANCELLED;
                    d.claimedBy = null;
                    d.leaseUntil = null;
                    refused.add(d.id);
                    return Outcome.EXCLUDED;
                }
                retryLater(d, now.plus(wait));
                return ec == ErrorClass.DELAY_RECIPIENT ? Outcome.RECIPIENT_DELAYED : Outcome.RETRY;
            }
            case OUTCOME_UNKNOWN -> {
                // Written, answer lost: Meta may have accepted it. Never sent again; a status webhook decides.
                d.state = DeliveryState.AWAITING;
                d.reason = null;
                d.claimedBy = null;
                d.leaseUntil = now.plus(config.outcomeWindow());
                return Outcome.AWAITING;
            }
            case PERMANENT_RECIPIENT -> {
                fail(d, "meta-" + (f.code() == null ? "error" : f.code()));
                refused.add(d.id);
                return Outcome.RECIPIENT_FAILED;
            }
            case PERMANENT_ISSUE -> {
                retryLater(d, now);
                d.attempts = Math.max(0, d.attempts - 1);
                refused.add(d.id); // reserved again when the resumed issue gates it
                pauseIssue(ctx.issueId(), "dispatch.paused-template-error", false);
                return Outcome.ISSUE_PAUSED;
            }
            default -> {
                retryLater(d, now);
                d.attempts = Math.max(0, d.attempts - 1);
                refused.add(d.id);
                pauseIssue(ctx.issueId(), "dispatch.paused-channel-stopped", true);
                return Outcome.ISSUE_PAUSED;
            }
        }
    }

    private boolean cancelled(UUID issueId) {
        return em.createQuery("select i.status from NewsletterIssue i where i.id = :id", IssueStatus.class)
                .setParameter("id", issueId).getSingleResult() == IssueStatus.CANCELLED;
    }

    /** Pauses a sending issue from inside the engine (the row's transaction). */
    void pauseIssue(UUID issueId, String reason, boolean bySystem) {
        NewsletterIssue i = store.lock(issueId);
        if (i.status.sends()) {
            lifecycle.pauseIssue(i, reason, bySystem);
        }
    }

    /** Pauses a sending issue after a burst of errors (an editor resumes it). */
    public void pauseForErrors(RunContext ctx) {
        tenantScope.run(ctx.tenantId(), () -> pauseIssue(ctx.issueId(), "dispatch.paused-error-burst", false));
    }

    private static void fail(IssueDelivery d, String reason) {
        d.state = DeliveryState.FAILED;
        d.reason = reason;
        d.claimedBy = null;
        d.leaseUntil = null;
    }

    private static void retryLater(IssueDelivery d, Instant at) {
        d.state = DeliveryState.PENDING;
        d.nextAttemptAt = at;
        d.claimedBy = null;
        d.leaseUntil = null;
    }

    /** Exponential backoff with full jitter: a random wait between base and base x 2^(attempt-1), capped. */
    static Duration backoff(Duration base, int attempt, Duration max) {
        long baseMs = Math.max(1, base.toMillis());
        long cap = Math.min(max.toMillis(), baseMs << Math.min(Math.max(attempt - 1, 0), 20));
        long ms = baseMs + (cap > baseMs ? ThreadLocalRandom.current().nextLong(cap - baseMs + 1) : 0);
        return Duration.ofMillis(ms);
    }
}
