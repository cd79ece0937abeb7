package io.consentcast.dispatch;

import static io.consentcast.shared.SqlValues.literal;
import static io.consentcast.shared.SqlValues.ts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;

import io.consentcast.consent.ConsentAudience;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.whatsapp.ChannelNumbers;
import io.consentcast.whatsapp.ChannelService;
import io.consentcast.whatsapp.ChannelSettingsService;
import io.consentcast.whatsapp.ChannelType;
import io.consentcast.whatsapp.OutgoingMessage;
import io.consentcast.whatsapp.SendResult;
import io.consentcast.whatsapp.TemplateService.TemplateView;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The engine's units of work on delivery rows, each in its own short transaction: claiming rows (inside the
 * workspace) with the number's rate share, the consent gate, giving rows back, the send. Jobs, re-checks and
 * crash recovery are {@link DispatchJobs}; recording outcomes is {@link DeliveryOutcomes}. {@link Dispatcher}
 * strings them together; it holds no database connection while a message is on the wire.
 */
@ApplicationScoped
public class DispatchWork {

    public static final String OUTCOME_UNKNOWN = "outcome-unknown";
    public static final String CANCELLED = "cancelled";
    public static final String RETRIES_EXHAUSTED = "retries-exhausted";

    @Inject
    EntityManager em;

    @Inject
    TenantScope tenantScope;

    @Inject
    IssueStore store;

    @Inject
    DispatchSettingsService settings;

    @Inject
    ChannelSettingsService channelSettings;

    @Inject
    ChannelService channel;

    @Inject
    ChannelNumbers numbers;

    @Inject
    ConsentAudience audience;

    @Inject
    LimitsGate limitsGate;

    @Inject
    DispatchConfig config;

    @Inject
    TemplateFiller filler;

    @Inject
    HeaderMedia headerMedia;

    @Inject
    IssueLinks links;

    @Inject
    Clock clock;

    /** A job row: which issue of which workspace. */
    public record JobRef(UUID issueId, String tenantId) {
    }

    /** What the workers need to know about a sending issue, read when its batch is claimed. */
    public record RunContext(UUID issueId, String tenantId, UUID listId, String templateName, String language,
            List<String> parameters, List<String> placeholders, String text, int rate, int numberRate, String phoneKey,
            int expiryMonths, boolean liveChannel, OutgoingMessage.Extras extras, List<String> quickReplyPayloads,
            ChannelNumbers.SendingNumber from, boolean marketing) {

        /** The message for one delivery; its callback data names the delivery (see {@link DeliveryCallback}). */
        OutgoingMessage message(String to, long deliveryId) {
            String callback = DeliveryCallback.of(deliveryId);
            return text != null ? new OutgoingMessage.Text(to, text, callback)
                    : new OutgoingMessage.Template(to, templateName, language, parameters, quickReplyPayloads,
                            callback, placeholders, extras);
        }
    }

    public record Row(long id, UUID subscriberId, int attempts) {
    }

    public record Batch(RunContext context, List<Row> rows) {
    }

    /** What the dispatcher does after a result was recorded. */
    public enum Outcome {
        SENT, RETRY, RECIPIENT_DELAYED, RECIPIENT_FAILED, EXCLUDED, ISSUE_PAUSED,
        /** The outcome of the send is unknown: the row waits for a status webhook (AWAITING). */
        AWAITING,
        /** Decided elsewhere: another instance took the row over, or a status webhook recorded it first. */
        LOST_LEASE
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
            if (i == null || !i.status.sends()) {
                return new Batch(null, List.of());
            }
            Instant now = clock.instant();
            RunContext ctx = share(context(i), owner);
            int n = Math.max(1, Math.min(limit, ctx.rate() * 10));
            List<Row> rows = claimReturning(i.id, owner, now, n);
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
            try (PreparedStatement ps = c.prepareStatement("UPDATE issue_deliveries SET state = "
                    + literal(DeliveryState.CLAIMED) + ","
                    + " claimed_by = ?, lease_until = ?, updated_at = ? WHERE id = ANY (ARRAY(SELECT id FROM"
                    + " issue_deliveries WHERE issue_id = ? AND state = " + literal(DeliveryState.PENDING)
                    + " AND next_attempt_at <= ?"
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

    /**
     * One rate per sending number, across every issue and instance sending on it: this instance notes that it
     * sends on the number (until {@code sender-presence} from now) and takes rate / n, n being the instances
     * that have done so and not left. Read at every claim, so the shares follow instances joining, finishing
     * (they leave when idle) or dying (their presence expires) within a batch; within one instance every issue
     * of the number draws from one token bucket.
     */
    private RunContext share(RunContext ctx, String owner) {
        int rate = rateShare(ctx.phoneKey(), ctx.numberRate(), owner);
        if (rate == ctx.rate()) {
            return ctx;
        }
        return new RunContext(ctx.issueId(), ctx.tenantId(), ctx.listId(), ctx.templateName(), ctx.language(),
                ctx.parameters(), ctx.placeholders(), ctx.text(), rate, ctx.numberRate(), ctx.phoneKey(), ctx.expiryMonths(),
                ctx.liveChannel(), ctx.extras(), ctx.quickReplyPayloads(), ctx.from(), ctx.marketing());
    }

    /**
     * This instance's share of the number's rate, noting that it sends on the number. The dispatcher asks
     * again about once a second while it sends a batch, so an instance joining or leaving changes the
     * others' pace within a second.
     */
    public int rateShare(RunContext ctx, String owner) {
        return tenantScope.platform(() -> rateShare(ctx.phoneKey(), ctx.numberRate(), owner));
    }

    private int rateShare(String phoneKey, int rate, String owner) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Instant now = clock.instant();
            String upsert = "INSERT INTO dispatch_senders (phone_key, instance_id, active_until) VALUES (?1, ?2, ?3)"
                    + " ON CONFLICT (phone_key, instance_id) DO UPDATE SET active_until = EXCLUDED.active_until";
            em.createNativeQuery(upsert).setParameter(1, phoneKey).setParameter(2, owner)
                    .setParameter(3, ts(now.plus(config.senderPresence()))).executeUpdate();
            long senders = ((Number) em.createNativeQuery("SELECT COUNT(*) FROM dispatch_senders WHERE phone_key = ?1"
                    + " AND active_until > ?2").setParameter(1, phoneKey).setParameter(2, ts(now))
                    .getSingleResult()).longValue();
            return (int) Math.max(1, rate / Math.max(1, senders));
        });
    }

    /** This instance has nothing to send any more: the others sending on its numbers take the whole rate again. */
    public void leaveNumbers(String owner) {
        tenantScope.platform(() -> em.createNativeQuery("DELETE FROM dispatch_senders WHERE instance_id = ?1")
                .setParameter(1, owner).executeUpdate());
    }

    private RunContext context(NewsletterIssue i) {
        DispatchSettingsService.SettingsView s = settings.view();
        ChannelSettingsService.ChannelView ch = channelSettings.view();
        ChannelNumbers.SendingNumber from = numbers.forList(i.listId); // the list's sending number
        String phoneKey = from.rateKey(); // its one rate
        Optional<TemplateView> template = i.freeText() ? Optional.empty()
                : store.findTemplate(i.templateName, i.templateLanguage);
        List<String> placeholders = template.map(TemplateView::placeholders).orElse(List.of());
        // The header, URL buttons (with the issue's redirect tokens) and quick-reply payloads: TemplateFiller.
        // An uploaded header file goes by the media id Meta gave it for this number (HeaderMedia).
        String mediaId = headerMedia.mediaId(i, from.phoneNumberId());
        OutgoingMessage.Extras extras = template.map(t -> filler.extras(t.layout(), i.templateHeader, store.buttons(i),
                links.tokens(i.id), mediaId)).orElse(OutgoingMessage.Extras.NONE);
        List<String> payloads = template.map(t -> filler.quickReplyPayloads(t.layout(), i.listId)).orElse(List.of());
        return new RunContext(i.id, i.tenantId, i.listId, i.templateName, i.templateLanguage, store.parameters(i),
                placeholders, i.textBody, s.ratePerSecond(), s.ratePerSecond(), phoneKey, s.consentExpiryMonths(),
                ch.kind() != ChannelType.SANDBOX, extras, payloads, from, limitsGate.marketingList(i.listId));
    }

    /** A row that passed the consent gate: it is SENDING and goes to {@code to} (digits of the E.164 number). */
    public record Gated(Row row, String to) {
    }

    /**
     * The channel's answer for a row that was sent, and the sender that sent it (the recorder counts the accepted
     * templates of a batch for the messaging limit through it: {@link ChannelService.Sender#countSends}).
     */
    public record Sent(Row row, String to, SendResult result, ChannelService.Sender sender) {
    }

    /** What the gate let through; {@code sending} false when the issue is paused or cancelled. */
    public record GateResult(boolean sending, List<Gated> passed) {
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
            if (!status.sends()) {
                unclaim(rows, status, owner, now);
                return new GateResult(false, List.of());
            }
            if (limitsGate.pausedForQuality(ctx)) {
                // Marketing was paused on the list's number (a quality webhook or read) after the issue started:
                // nothing more leaves on it, whatever the order in which the issue and the pause were committed.
                unclaim(rows, IssueStatus.PAUSED, owner, now);
                return new GateResult(false, List.of());
            }
            Instant cutoff = now.atOffset(ZoneOffset.UTC).minusMonths(ctx.expiryMonths()).toInstant();
            Map<UUID, ConsentAudience.Eligibility> answers = audience.eligibility(
                    rows.stream().map(Row::subscriberId).toList(), ctx.listId(), ctx.liveChannel(), cutoff);
            List<Row> excluded = new ArrayList<>();
            List<String> reasons = new ArrayList<>();
            List<Row> passing = new ArrayList<>();
            List<ConsentGate.Decision> decisions = new ArrayList<>();
            for (Row row : rows) {
                ConsentGate.Decision d = ConsentGate.decide(answers.get(row.subscriberId()));
                if (d.send()) {
                    passing.add(row);
                    decisions.add(d);
                } else {
                    excluded.add(row);
                    reasons.add(d.reason());
                }
            }
            List<Row> waiting = ctx.text() == null ? limitsGate.reserve(ctx, passing, decisions, now) : List.of();
            List<Instant> notBefore = waiting.isEmpty() ? List.of()
                    : limitsGate.notBefore(ctx, waiting.size(), now);
            OffsetDateTime at = ts(now);
            OffsetDateTime until = ts(now.plus(config.lease()));
            List<Gated> out = new ArrayList<>(passing.size());
            em.unwrap(Session.class).doWork(c -> {
                if (!waiting.isEmpty()) {
                    batch(c, "UPDATE issue_deliveries SET state = " + literal(DeliveryState.PENDING)
                            + ", next_attempt_at = ?, claimed_by = NULL, lease_until = NULL, updated_at = ? WHERE id = ?"
                            + " AND state = " + literal(DeliveryState.CLAIMED) + " AND claimed_by = ?",
                            waiting.size(), (ps, k) -> {
                                ps.setObject(1, ts(notBefore.get(k)));
                                ps.setObject(2, at);
                                ps.setLong(3, waiting.get(k).id());
                                ps.setString(4, owner);
                            });
                }
                if (!excluded.isEmpty()) {
                    batch(c, "UPDATE issue_deliveries SET state = " + literal(DeliveryState.EXCLUDED)
                            + ", reason = ?, claimed_by = NULL, lease_until = NULL, updated_at = ? WHERE id = ?"
                            + " AND state = " + literal(DeliveryState.CLAIMED) + " AND claimed_by = ?",
                            excluded.size(), (ps, k) -> {
                                ps.setString(1, reasons.get(k));
                                ps.setObject(2, at);
                                ps.setLong(3, excluded.get(k).id());
                                ps.setString(4, owner);
                            });
                }
                if (!passing.isEmpty()) {
                    int[] counts = batch(c, "UPDATE issue_deliveries SET state = "
                            + literal(DeliveryState.SENDING) + ", consent_event_id = ?,"
                            + " sending_at = ?, lease_until = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?"
                            + " AND state = " + literal(DeliveryState.CLAIMED) + " AND claimed_by = ?", passing.size(), (ps, k) -> {
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

    /** The channel from the list's sending number, ready for a batch of sends (settings read and token decrypted once). */
    public ChannelService.Sender sender(RunContext ctx) {
        return tenantScope.call(ctx.tenantId(), () -> channel.senderForList(ctx.listId()));
    }

    /**
     * Hands one gated row's message to the channel through {@code sender}, outside any transaction; the
     * caller records it with {@link DeliveryOutcomes#record(RunContext, List, String)}, which also counts the
     * accepted templates for the messaging limit, a batch at a time.
     */
    public SendResult send(RunContext ctx, ChannelService.Sender sender, Gated row) {
        return tenantScope.outsideTransaction(ctx.tenantId(),
                () -> sender.sendCountingLater(ctx.message(row.to(), row.row().id())));
    }

    /** Binds the parameters of the {@code k}-th statement of a JDBC batch. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps, int k) throws SQLException;
    }

    /** Runs {@code sql} {@code n} times as one JDBC batch (one round trip), bound by {@code binder}; the update counts. */
    static int[] batch(Connection c, String sql, int n, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int k = 0; k < n; k++) {
                binder.bind(ps, k);
                ps.addBatch();
            }
            return ps.executeBatch();
        }
    }

    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
