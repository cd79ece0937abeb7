package io.consentcast.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;
import org.jboss.logging.Logger;

import io.consentcast.consent.ConsentAudience;
import io.consentcast.shared.DatabaseKind;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.whatsapp.ChannelService;
import io.consentcast.whatsapp.ChannelSettingsService;
import io.consentcast.whatsapp.ErrorClass;
import io.consentcast.whatsapp.OutgoingMessage;
import io.consentcast.whatsapp.SendResult;
import io.consentcast.whatsapp.WhatsAppChannel;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The engine's units of work, each in its own short transaction: claiming jobs (platform table)
 * and delivery rows (inside the workspace), the consent gate, the send, recording the outcome,
 * re-checks and crash recovery. {@link Dispatcher} strings them together; it holds no database
 * connection while a message is on the wire.
 */
@ApplicationScoped
public class DispatchWork {

    private static final Logger LOG = Logger.getLogger(DispatchWork.class);

    public static final String OUTCOME_UNKNOWN = "outcome-unknown";
    public static final String CANCELLED = "cancelled";
    public static final String RETRIES_EXHAUSTED = "retries-exhausted";

    @Inject
    EntityManager em;

    @Inject
    TenantScope tenantScope;

    @Inject
    IssueService issues;

    @Inject
    DispatchSettingsService settings;

    @Inject
    ChannelSettingsService channelSettings;

    @Inject
    ChannelService channel;

    @Inject
    ConsentAudience audience;

    @Inject
    DispatchConfig config;

    @Inject
    DatabaseKind database;

    @Inject
    Clock clock;

    /** A job row: which issue of which workspace. */
    public record JobRef(UUID issueId, String tenantId) {
    }

    /** What the workers need to know about a sending issue, read when its batch is claimed. */
    public record RunContext(UUID issueId, String tenantId, UUID listId, String templateName, String language,
            List<String> parameters, String text, int rate, String phoneKey, int expiryMonths, boolean liveChannel) {

        OutgoingMessage message(String to) {
            return text != null ? new OutgoingMessage.Text(to, text)
                    : new OutgoingMessage.Template(to, templateName, language, parameters, List.of());
        }
    }

    public record Row(long id, UUID subscriberId, int attempts) {
    }

    public record Batch(RunContext context, List<Row> rows) {
    }

    /** What the dispatcher does after a result was recorded. */
    public enum Outcome {
        SENT, RETRY, RECIPIENT_DELAYED, RECIPIENT_FAILED, EXCLUDED, ISSUE_PAUSED, LOST_LEASE
    }

    // ------------------------------------------------------------------ jobs (platform table)

    /** Claims due jobs of a kind with FOR UPDATE SKIP LOCKED and a lease: exactly one instance gets each. */
    public List<JobRef> claimJobs(String kind, String owner, int limit) {
        return tenantScope.platform(() -> {
            Instant now = clock.instant();
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("SELECT issue_id, tenant_id FROM dispatch_jobs WHERE kind = ?1"
                    + " AND due_at <= ?2 AND (lease_until IS NULL OR lease_until < ?2) ORDER BY due_at LIMIT ?3"
                    + " FOR UPDATE SKIP LOCKED")
                    .setParameter(1, kind).setParameter(2, ts(now)).setParameter(3, limit).getResultList();
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

    /** Issues that are sending, in every workspace (read from the platform table only). */
    public List<JobRef> runningJobs() {
        return tenantScope.platform(() -> em
                .createQuery("select j.issueId, j.tenantId from DispatchJob j where j.kind = 'RUN' order by j.dueAt",
                        Object[].class)
                .getResultStream().map(r -> new JobRef((UUID) r[0], (String) r[1])).toList());
    }

    /** Starts or re-checks a scheduled, blocked or system-paused issue whose job this instance holds. */
    public void advance(JobRef job, String owner) {
        tenantScope.run(job.tenantId(), () -> {
            NewsletterIssue i = em.find(NewsletterIssue.class, job.issueId());
            if (i == null) {
                issues.deleteJob(job.issueId());
                return;
            }
            i = issues.lock(i.id);
            boolean waiting = i.status == IssueStatus.SCHEDULED || i.status == IssueStatus.BLOCKED
                    || (i.status == IssueStatus.PAUSED && i.pausedBySystem);
            if (!waiting) {
                if (i.status != IssueStatus.SENDING) {
                    issues.deleteJob(i.id);
                }
                return;
            }
            issues.advance(i);
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
            if (i == null || i.status != IssueStatus.SENDING) {
                if (i == null || !(i.status == IssueStatus.PAUSED && i.pausedBySystem)) {
                    issues.deleteJob(job.issueId());
                }
                return;
            }
            i = issues.lock(i.id);
            recoverExpired(i.id);
            if (!finishIfDone(i)) {
                String problem = issues.preflight(i, clock.instant());
                if (problem != null) {
                    i.status = IssueStatus.BLOCKED;
                    i.blockedReason = problem;
                    i.updatedAt = clock.instant();
                    issues.job(i, DispatchJob.START, clock.instant().plus(config.recheck()));
                } else {
                    issues.job(i, DispatchJob.RUN, clock.instant().plus(config.recheck()));
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
            issues.deleteJob(i.id);
        } else {
            issues.job(i, DispatchJob.RUN, clock.instant().plus(config.recheck()));
        }
    }

    /** Marks a sending issue DONE when no row is open any more; returns whether it did. */
    public boolean finishIfDone(JobRef job) {
        return tenantScope.call(job.tenantId(), () -> {
            NewsletterIssue i = em.find(NewsletterIssue.class, job.issueId());
            if (i == null || i.status != IssueStatus.SENDING || openRows(i.id) > 0) {
                return false;
            }
            return finishIfDone(issues.lock(i.id));
        });
    }

    private boolean finishIfDone(NewsletterIssue i) {
        if (i.status != IssueStatus.SENDING || openRows(i.id) > 0) {
            return false;
        }
        i.status = IssueStatus.DONE;
        i.finishedAt = clock.instant();
        i.updatedAt = i.finishedAt;
        issues.deleteJob(i.id);
        return true;
    }

    private long openRows(UUID issueId) {
        return em.createQuery("select count(d) from IssueDelivery d where d.issueId = :id and d.state in (:open)",
                Long.class).setParameter("id", issueId)
                .setParameter("open", List.of(DeliveryState.PENDING, DeliveryState.CLAIMED, DeliveryState.SENDING))
                .getSingleResult();
    }

    /**
     * Crash recovery. A CLAIMED row was never handed to the channel: back to PENDING. A SENDING row
     * was perhaps sent (Meta has no idempotency key): it is not sent again but FAILED with reason
     * {@value #OUTCOME_UNKNOWN}; its worker, should it still be alive, may still record the real outcome.
     */
    int recoverExpired(UUID issueId) {
        Instant now = clock.instant();
        int released = em.createQuery("update IssueDelivery d set d.state = :pending, d.claimedBy = null,"
                + " d.leaseUntil = null, d.updatedAt = :now where d.issueId = :id and d.state = :claimed"
                + " and d.leaseUntil < :now").setParameter("pending", DeliveryState.PENDING)
                .setParameter("claimed", DeliveryState.CLAIMED).setParameter("now", now).setParameter("id", issueId)
                .executeUpdate();
        int unknown = em.createQuery("update IssueDelivery d set d.state = :failed, d.reason = :reason,"
                + " d.updatedAt = :now where d.issueId = :id and d.state = :sending and d.leaseUntil < :now")
                .setParameter("failed", DeliveryState.FAILED).setParameter("reason", OUTCOME_UNKNOWN)
                .setParameter("sending", DeliveryState.SENDING).setParameter("now", now).setParameter("id", issueId)
                .executeUpdate();
        return released + unknown;
    }

    private void release(UUID issueId, String owner) {
        em.createQuery("update DispatchJob j set j.leaseUntil = null, j.leaseOwner = null where j.issueId = :id"
                + " and j.leaseOwner = :owner").setParameter("id", issueId).setParameter("owner", owner)
                .executeUpdate();
    }

    // ------------------------------------------------------------------ deliveries (inside the workspace)

    /**
     * Claims up to {@code limit} due PENDING rows of a sending issue (FOR UPDATE SKIP LOCKED, with a lease),
     * in the order of the index {@code issue_deliveries_work} (issue_id, state, next_attempt_at), so the scan
     * stops after {@code limit} rows instead of sorting every due row of a large issue.
     */
    public Batch claim(JobRef job, String owner, int limit) {
        return tenantScope.call(job.tenantId(), () -> {
            NewsletterIssue i = em.find(NewsletterIssue.class, job.issueId());
            if (i == null || i.status != IssueStatus.SENDING) {
                return new Batch(null, List.of());
            }
            Instant now = clock.instant();
            RunContext ctx = share(context(i), owner);
            int n = Math.max(1, Math.min(limit, ctx.rate() * 10));
            List<Row> rows = database.postgres() ? claimReturning(i.id, owner, now, n) : claimThenMark(i.id, owner, now, n);
            return new Batch(ctx, rows);
        });
    }

    /**
     * PostgreSQL: one statement that locks, marks and returns the rows. The rows are updated through the
     * primary key, whatever the planner knows of the table: a freshly materialised issue has no statistics
     * yet, and an {@code id IN (...)} update then chose the tenant's index and read the whole issue for
     * every batch (0.3-1 s per claim of 200 rows at 100,000 readers, docs/PERFORMANCE.md).
     */
    private List<Row> claimReturning(UUID issueId, String owner, Instant now, int limit) {
        List<Row> out = new ArrayList<>(limit);
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE issue_deliveries SET state = 'CLAIMED',"
                    + " claimed_by = ?, lease_until = ?, updated_at = ? WHERE id = ANY (ARRAY(SELECT id FROM"
                    + " issue_deliveries WHERE issue_id = ? AND state = 'PENDING' AND next_attempt_at <= ?"
                    + " ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED))"
                    + " RETURNING id, subscriber_id, attempts")) {
                ps.setString(1, owner);
                ps.setObject(2, ts(now.plus(config.lease())));
                ps.setObject(3, ts(now));
                ps.setObject(4, issueId);
                ps.setObject(5, ts(now));
                ps.setInt(6, limit);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Row(rs.getLong(1), rs.getObject(2, UUID.class), rs.getInt(3)));
                    }
                }
            }
        });
        return out;
    }

    /** H2 (development): no UPDATE ... RETURNING; select with the locks, then mark. */
    private List<Row> claimThenMark(UUID issueId, String owner, Instant now, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT id, subscriber_id, attempts FROM issue_deliveries"
                + " WHERE issue_id = ?1 AND state = 'PENDING' AND next_attempt_at <= ?2"
                + " ORDER BY next_attempt_at LIMIT ?3 FOR UPDATE SKIP LOCKED")
                .setParameter(1, issueId).setParameter(2, ts(now)).setParameter(3, limit).getResultList();
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Row> out = new ArrayList<>(rows.size());
        List<Long> ids = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            long id = ((Number) r[0]).longValue();
            ids.add(id);
            out.add(new Row(id, uuid(r[1]), ((Number) r[2]).intValue()));
        }
        em.createQuery("update IssueDelivery d set d.state = :claimed, d.claimedBy = :owner, d.leaseUntil = :until,"
                + " d.updatedAt = :now where d.id in (:ids)").setParameter("claimed", DeliveryState.CLAIMED)
                .setParameter("owner", owner).setParameter("until", now.plus(config.lease()))
                .setParameter("now", now).setParameter("ids", ids).executeUpdate();
        return out;
    }

    /**
     * The number's rate is shared by the instances sending the issue: each takes rate / n, n being the
     * instances (this one included) holding rows of the issue right now. Read at every claim, so the
     * shares follow instances joining, finishing or dying within a batch.
     */
    private RunContext share(RunContext ctx, String owner) {
        long others = ((Number) em.createNativeQuery("SELECT COUNT(DISTINCT claimed_by) FROM issue_deliveries"
                + " WHERE issue_id = ?1 AND state IN ('CLAIMED', 'SENDING') AND claimed_by <> ?2")
                .setParameter(1, ctx.issueId()).setParameter(2, owner).getSingleResult()).longValue();
        if (others == 0) {
            return ctx;
        }
        return new RunContext(ctx.issueId(), ctx.tenantId(), ctx.listId(), ctx.templateName(), ctx.language(),
                ctx.parameters(), ctx.text(), (int) Math.max(1, ctx.rate() / (others + 1)), ctx.phoneKey(),
                ctx.expiryMonths(), ctx.liveChannel());
    }

    private RunContext context(NewsletterIssue i) {
        DispatchSettingsService.SettingsView s = settings.view();
        ChannelSettingsService.ChannelView ch = channelSettings.view();
        String phoneKey = ch.phoneNumberId() != null ? "phone:" + ch.phoneNumberId() : "sandbox:" + i.tenantId;
        return new RunContext(i.id, i.tenantId, i.listId, i.templateName, i.templateLanguage, issues.parameters(i),
                i.textBody, s.ratePerSecond(), phoneKey, s.consentExpiryMonths(),
                !WhatsAppChannel.SANDBOX.equals(ch.type()));
    }

    /** A row that passed the consent gate: it is SENDING and goes to {@code to} (digits of the E.164 number). */
    public record Gated(Row row, String to) {
    }

    /** The channel's answer for a row that was sent. */
    public record Sent(Row row, String to, SendResult result) {
    }

    /** What the gate let through; {@code sending} false when the issue is paused or cancelled. */
    public record GateResult(boolean sending, List<Gated> passed) {
    }

    /** The consent gate for one row; see {@link #gate(RunContext, List, String)}. */
    public String gate(RunContext ctx, Row row, String owner) {
        List<Gated> passed = gate(ctx, List.of(row), owner).passed();
        return passed.isEmpty() ? null : passed.get(0).to();
    }

    /**
     * The consent gate, immediately before the sends of a few rows (the dispatcher gates as many as it
     * may send in the next twentieth of a second): re-reads the issue's status and the recipients'
     * consent in one transaction. Excluded rows are recorded with their reason; rows that may be sent
     * are marked SENDING with the consent event that justifies each. Returns the rows to send (not
     * those whose lease this owner lost); none when the issue is paused (rows back to PENDING) or
     * cancelled (rows EXCLUDED).
     */
    public GateResult gate(RunContext ctx, List<Row> rows, String owner) {
        if (rows.isEmpty()) {
            return new GateResult(true, List.of());
        }
        return tenantScope.call(ctx.tenantId(), () -> {
            Instant now = clock.instant();
            IssueStatus status = em.createQuery("select i.status from NewsletterIssue i where i.id = :id",
                    IssueStatus.class).setParameter("id", ctx.issueId()).getSingleResult();
            if (status != IssueStatus.SENDING) {
                unclaim(rows, status, owner, now);
                return new GateResult(false, List.of());
            }
            Map<UUID, ConsentAudience.Recipient> recipients = audience.recipients(
                    rows.stream().map(Row::subscriberId).toList(), ctx.listId());
            List<Row> excluded = new ArrayList<>();
            List<String> reasons = new ArrayList<>();
            List<Row> passing = new ArrayList<>();
            List<ConsentGate.Decision> decisions = new ArrayList<>();
            for (Row row : rows) {
                ConsentGate.Decision d = ConsentGate.decide(recipients.get(row.subscriberId()), now,
                        ctx.expiryMonths(), ctx.liveChannel());
                if (d.send()) {
                    passing.add(row);
                    decisions.add(d);
                } else {
                    excluded.add(row);
                    reasons.add(d.reason());
                }
            }
            OffsetDateTime at = ts(now);
            OffsetDateTime until = ts(now.plus(config.lease()));
            List<Gated> out = new ArrayList<>(passing.size());
            em.unwrap(Session.class).doWork(c -> {
                if (!excluded.isEmpty()) {
                    batch(c, "UPDATE issue_deliveries SET state = 'EXCLUDED', reason = ?, claimed_by = NULL,"
                            + " lease_until = NULL, updated_at = ? WHERE id = ? AND state = 'CLAIMED' AND claimed_by = ?",
                            excluded.size(), (ps, k) -> {
                                ps.setString(1, reasons.get(k));
                                ps.setObject(2, at);
                                ps.setLong(3, excluded.get(k).id());
                                ps.setString(4, owner);
                            });
                }
                if (!passing.isEmpty()) {
                    int[] counts = batch(c, "UPDATE issue_deliveries SET state = 'SENDING', consent_event_id = ?,"
                            + " sending_at = ?, lease_until = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?"
                            + " AND state = 'CLAIMED' AND claimed_by = ?", passing.size(), (ps, k) -> {
                                ps.setObject(1, decisions.get(k).consentEventId());
                                ps.setObject(2, at);
                                ps.setObject(3, until);
                                ps.setObject(4, at);
                                ps.setLong(5, passing.get(k).id());
                                ps.setString(6, owner);
                            });
                    for (int k = 0; k < passing.size(); k++) {
                        // A row whose lease this owner lost belongs to another instance now: not sent here.
                        if (counts[k] == 1 || counts[k] == java.sql.Statement.SUCCESS_NO_INFO) {
                            out.add(new Gated(passing.get(k), decisions.get(k).to()));
                        }
                    }
                }
            });
            return new GateResult(true, out);
        });
    }

    /**
     * Gives claimed rows back without sending them (the issue stopped sending, or this instance is
     * closing): PENDING again, or EXCLUDED {@code cancelled} for a cancelled issue. Other instances may
     * then take them at once instead of after the lease.
     */
    public void release(RunContext ctx, List<Row> rows, String owner) {
        if (rows.isEmpty()) {
            return;
        }
        tenantScope.run(ctx.tenantId(), () -> unclaim(rows,
                em.createQuery("select i.status from NewsletterIssue i where i.id = :id", IssueStatus.class)
                        .setParameter("id", ctx.issueId()).getSingleResult(), owner, clock.instant()));
    }

    private void unclaim(List<Row> rows, IssueStatus status, String owner, Instant now) {
        boolean cancelled = status == IssueStatus.CANCELLED;
        em.createQuery("update IssueDelivery d set d.state = :st, d.reason = :reason, d.claimedBy = null,"
                + " d.leaseUntil = null, d.updatedAt = :now where d.id in (:ids) and d.state = :claimed"
                + " and d.claimedBy = :owner")
                .setParameter("st", cancelled ? DeliveryState.EXCLUDED : DeliveryState.PENDING)
                .setParameter("reason", cancelled ? CANCELLED : null).setParameter("now", now)
                .setParameter("ids", rows.stream().map(Row::id).toList())
                .setParameter("claimed", DeliveryState.CLAIMED).setParameter("owner", owner).executeUpdate();
    }

    /** The workspace's channel, ready for a batch of sends (settings read and token decrypted once). */
    public ChannelService.Sender sender(RunContext ctx) {
        return tenantScope.call(ctx.tenantId(), channel::sender);
    }

    /**
     * Hands one message to the channel without holding a database connection while it is on the wire,
     * and records it for status tracking at once (single rows; batches use a {@link #sender}).
     */
    public SendResult send(RunContext ctx, String to) {
        return tenantScope.call(ctx.tenantId(),
                () -> QuarkusTransaction.suspendingExisting().call(() -> channel.send(ctx.message(to))));
    }

    /**
     * Hands one message to the channel through {@code sender}, outside any transaction; the caller
     * records it with {@link #record(RunContext, List, String)}.
     */
    public SendResult send(RunContext ctx, ChannelService.Sender sender, String to) {
        return tenantScope.call(ctx.tenantId(),
                () -> QuarkusTransaction.suspendingExisting().call(() -> sender.send(ctx.message(to))));
    }

    /** Records the outcome of a send made by {@link #send(RunContext, String)} for a SENDING row held by {@code owner}. */
    public Outcome record(RunContext ctx, Row row, SendResult result, String owner) {
        return record(ctx, List.of(new Sent(row, null, result)), owner).get(0);
    }

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
                    int[] counts = batch(c, "UPDATE issue_deliveries SET state = 'SENT', reason = NULL,"
                            + " provider_message_id = ?, provider_status = 'accepted', sent_at = ?, claimed_by = NULL,"
                            + " lease_until = NULL, updated_at = ? WHERE id = ? AND claimed_by = ?"
                            + " AND (state = 'SENDING' OR (state = 'FAILED' AND reason = '" + OUTCOME_UNKNOWN + "'))",
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
            for (int k = 0; k < sent.size(); k++) {
                if (outcomes[k] == null) {
                    outcomes[k] = recordFailure(ctx, sent.get(k).row(), (SendResult.Failed) sent.get(k).result(),
                            owner, now);
                }
            }
            return List.of(outcomes);
        });
        trackAccepted(ctx, sent);
        return result;
    }

    /** Binds the parameters of the {@code k}-th statement of a JDBC batch. */
    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps, int k) throws SQLException;
    }

    /** Runs {@code sql} {@code n} times as one JDBC batch (one round trip), bound by {@code binder}; the update counts. */
    private static int[] batch(Connection c, String sql, int n, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int k = 0; k < n; k++) {
                binder.bind(ps, k);
                ps.addBatch();
            }
            return ps.executeBatch();
        }
    }

    /**
     * The channel's own record of accepted messages (for status tracking), after the deliveries are
     * recorded and in its own transaction: failing to write it never undoes a SENT delivery, and the
     * status webhooks still find the delivery by its wamid.
     */
    private void trackAccepted(RunContext ctx, List<Sent> sent) {
        List<ChannelService.Sent> accepted = sent.stream()
                .filter(s -> s.to() != null && s.result() instanceof SendResult.Accepted)
                .map(s -> new ChannelService.Sent(((SendResult.Accepted) s.result()).messageId(), s.to())).toList();
        if (accepted.isEmpty()) {
            return;
        }
        try {
            tenantScope.run(ctx.tenantId(), () -> channel.record(accepted));
        } catch (RuntimeException e) {
            LOG.warnf("%d accepted messages of issue %s were not recorded for status tracking: %s", accepted.size(),
                    ctx.issueId(), e.toString());
        }
    }

    private Outcome recordFailure(RunContext ctx, Row row, SendResult.Failed f, String owner, Instant now) {
        IssueDelivery d = em.find(IssueDelivery.class, row.id());
        boolean mine = d != null && owner.equals(d.claimedBy) && (d.state == DeliveryState.SENDING
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
                    return Outcome.EXCLUDED;
                }
                retryLater(d, now.plus(wait));
                return ec == ErrorClass.DELAY_RECIPIENT ? Outcome.RECIPIENT_DELAYED : Outcome.RETRY;
            }
            case PERMANENT_RECIPIENT -> {
                fail(d, "meta-" + (f.code() == null ? "error" : f.code()));
                return Outcome.RECIPIENT_FAILED;
            }
            case PERMANENT_ISSUE -> {
                retryLater(d, now);
                d.attempts = Math.max(0, d.attempts - 1);
                pauseIssue(ctx.issueId(), "dispatch.paused-template-error", false);
                return Outcome.ISSUE_PAUSED;
            }
            default -> {
                retryLater(d, now);
                d.attempts = Math.max(0, d.attempts - 1);
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
        NewsletterIssue i = issues.lock(issueId);
        if (i.status == IssueStatus.SENDING) {
            issues.pauseIssue(i, reason, bySystem);
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

    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    static OffsetDateTime ts(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    /** UUIDs as the JDBC drivers return them. */
    static UUID uuid(Object o) {
        if (o instanceof UUID u) {
            return u;
        }
        if (o instanceof byte[] b && b.length == 16) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
            return new UUID(buf.getLong(), buf.getLong());
        }
        return UUID.fromString(o.toString());
    }
}
