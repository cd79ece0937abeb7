package io.consentcast.whatsapp;

import static io.consentcast.shared.SqlValues.ts;

import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.hibernate.Session;

import io.consentcast.shared.Ids;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.TenantScope;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The outbox of replies to inbound messages: consent texts, confirmations, STOP acknowledgements, help. A reply is
 * written in the transaction that records the consent fact it answers, so both commit or neither does; after the
 * commit {@link ReplySender} sends it outside any transaction. Sending never touches the consent fact.
 * <p>
 * Platform table {@code whatsapp_outbox} (the sender claims across workspaces, like the webhook inbox); each row
 * names its workspace. States ({@link OutboxState}): PENDING until claimed; SENDING while on the wire; then SENT,
 * FAILED (Meta refused it for good), EXPIRED (the 24-hour window closed before it could go) or UNKNOWN (no answer
 * came: Meta may have accepted it, so it is not sent again). A recipient's replies leave one at a time, in order.
 */
@ApplicationScoped
public class ReplyOutbox {

    /**
     * A reply to the user who wrote message {@code inReplyTo} at {@code writtenAt} (opening the 24-hour window) to the
     * workspace's number {@code phoneNumberId} (the reply leaves from it; null: the workspace's default number).
     */
    public record Reply(String to, String body, String purpose, String inReplyTo, Instant writtenAt,
            String phoneNumberId) {
    }

    /** A claimed reply, ready to send from {@code phoneNumberId} (the number the user wrote to; null: the default). */
    record Claimed(UUID id, String tenantId, String to, String body, Instant windowEndsAt, int attempts,
            String phoneNumberId) {
    }

    /** What became of a claimed reply. */
    record Finished(UUID id, OutboxState state, Instant nextAttemptAt, String providerMessageId, Integer errorCode,
            String error) {
    }

    static final Duration WINDOW = Duration.ofHours(24);

    @Inject
    EntityManager em;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    TenantScope tenantScope;

    @Inject
    WhatsAppConfig config;

    @Inject
    Clock clock;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    ReplySender sender;

    @Inject
    WebhookInbox inbox;

    /**
     * Adds a reply of the current workspace to the outbox in the caller's transaction (one per inbound message: a
     * second reply to the same message is ignored). It is sent after the commit; a rollback takes it back. It leaves
     * from the number the user wrote to ({@link Reply#phoneNumberId()}; else the default). One statement, with no
     * lookup: a lookup of the inbound message here was planned, while a burst was still unknown to the table's
     * statistics, as a scan of the workspace's messages (1,500 pages a reply in the inbound benchmark).
     */
    public void enqueue(Reply reply) {
        QuarkusTransaction.joiningExisting().run(() -> {
            Instant now = clock.instant();
            Instant opened = reply.writtenAt() == null || reply.writtenAt().isAfter(now) ? now : reply.writtenAt();
            em.unwrap(Session.class).doWork(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO whatsapp_outbox (id, tenant_id, recipient,"
                        + " body, purpose, in_reply_to, window_ends_at, state, attempts, next_attempt_at, created_at,"
                        + " phone_number_id) VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                    ps.setObject(1, Ids.uuid7(clock));
                    ps.setString(2, currentTenant.id());
                    ps.setString(3, reply.to());
                    ps.setString(4, reply.body());
                    ps.setString(5, reply.purpose());
                    ps.setString(6, reply.inReplyTo());
                    ps.setObject(7, ts(opened.plus(WINDOW)));
                    ps.setObject(8, ts(now));
                    ps.setObject(9, ts(now));
                    ps.setString(10, reply.phoneNumberId());
                    ps.executeUpdate();
                }
            });
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        sender.kick();
                    }
                }
            });
        });
    }

    /**
     * Claims up to {@code limit} due replies, each the oldest open reply to its recipient (so a recipient's replies
     * leave in order, one at a time), with {@code FOR UPDATE SKIP LOCKED}: exactly one drain of any instance gets
     * each. Marks them SENDING with a lease.
     */
    List<Claimed> claim(int limit) {
        return tenantScope.platform(() -> {
            Instant now = clock.instant();
            inbox.preferOrderedScan();
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("SELECT o.id, o.tenant_id, o.recipient, o.body, o.window_ends_at,"
                    + " o.attempts, o.phone_number_id FROM whatsapp_outbox o WHERE o.state = 'PENDING' AND o.next_attempt_at <= ?1"
                    + " AND NOT EXISTS (SELECT 1 FROM whatsapp_outbox p WHERE p.tenant_id = o.tenant_id"
                    + " AND p.recipient = o.recipient AND p.state IN ('PENDING', 'SENDING') AND p.seq < o.seq)"
                    + " ORDER BY o.seq LIMIT ?2 FOR UPDATE SKIP LOCKED")
                    .setParameter(1, ts(now)).setParameter(2, limit).getResultList();
            if (rows.isEmpty()) {
                return List.of();
            }
            List<Claimed> out = new ArrayList<>(rows.size());
            for (Object[] r : rows) {
                out.add(new Claimed(r[0] instanceof UUID u ? u : UUID.fromString(r[0].toString()), (String) r[1],
                        (String) r[2], (String) r[3], instant(r[4]), ((Number) r[5]).intValue() + 1, (String) r[6]));
            }
            em.createNativeQuery("UPDATE whatsapp_outbox SET state = 'SENDING', attempts = attempts + 1,"
                    + " claimed_until = :until WHERE id IN (:ids)")
                    .setParameter("until", ts(now.plus(config.outbox().claimDuration())))
                    .setParameter("ids", out.stream().map(Claimed::id).toList()).executeUpdate();
            return out;
        });
    }

    /** Records the outcomes of claimed replies of the current workspace, in the caller's transaction. */
    void finish(List<Finished> finished) {
        if (finished.isEmpty()) {
            return;
        }
        em.unwrap(Session.class).doWork(c -> {
            OffsetDateTime now = ts(clock.instant());
            try (PreparedStatement ps = c.prepareStatement("UPDATE whatsapp_outbox SET state = ?, next_attempt_at = ?,"
                    + " finished_at = ?, provider_message_id = ?, error_code = ?, last_error = ?, claimed_until = NULL"
                    + " WHERE id = ? AND state = 'SENDING'")) {
                for (Finished f : finished) {
                    ps.setString(1, f.state().name());
                    ps.setObject(2, f.nextAttemptAt() == null ? now : ts(f.nextAttemptAt()));
                    ps.setObject(3, f.state() == OutboxState.PENDING ? null : now, Types.TIMESTAMP_WITH_TIMEZONE);
                    ps.setString(4, f.providerMessageId());
                    if (f.errorCode() == null) {
                        ps.setNull(5, Types.INTEGER);
                    } else {
                        ps.setInt(5, f.errorCode());
                    }
                    ps.setString(6, f.error() == null ? null : ChannelSettingsService.truncate(f.error(), 2000));
                    ps.setObject(7, f.id());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    /**
     * Replies whose claim expired while SENDING (the instance died with them on the wire) become UNKNOWN: Meta may
     * have accepted them, so they are not sent again. Returns how many.
     */
    int giveUpExpiredClaims() {
        return tenantScope.platform(() -> em.createNativeQuery("UPDATE whatsapp_outbox SET state = 'UNKNOWN',"
                + " finished_at = ?1, claimed_until = NULL, last_error = 'the sending instance stopped before Meta"
                + " answered' WHERE state = 'SENDING' AND claimed_until < ?1").setParameter(1, ts(clock.instant()))
                .executeUpdate());
    }

    /** Deletes finished replies older than the retention. */
    int purge() {
        Instant cutoff = clock.instant().minus(config.outbox().retention());
        return tenantScope.platform(() -> em.createNativeQuery("DELETE FROM whatsapp_outbox WHERE state IN ('SENT',"
                + " 'FAILED', 'EXPIRED', 'UNKNOWN') AND finished_at < ?1").setParameter(1, ts(cutoff)).executeUpdate());
    }

    private static Instant instant(Object o) {
        if (o instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (o instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof Instant i) {
            return i;
        }
        return OffsetDateTime.parse(o.toString()).toInstant();
    }
}
