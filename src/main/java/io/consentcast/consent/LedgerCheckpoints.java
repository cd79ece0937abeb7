package io.consentcast.consent;

import static io.consentcast.shared.SqlValues.uuid;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.hibernate.Session;
import org.jboss.logging.Logger;

import io.consentcast.shared.Ids;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.TenantScope;
import io.quarkus.scheduler.Scheduled;

/**
 * Periodic, chained checkpoints per workspace. A checkpoint records the head (seq, hash) of every
 * subscriber chain that changed since it was last recorded and hashes them together with the
 * previous checkpoint's hash. A later rewrite of a whole subscriber chain (all hashes recomputed)
 * then no longer matches the recorded heads; publishing the latest checkpoint hash (it is in every
 * export manifest) anchors the whole workspace ledger at that time. Appends never wait for it.
 */
@ApplicationScoped
public class LedgerCheckpoints {

    private static final Logger LOG = Logger.getLogger(LedgerCheckpoints.class);

    @Inject
    io.consentcast.tenancy.TenancyService tenancy;

    @Inject
    EntityManager em;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    TenantScope tenantScope;

    @Inject
    Clock clock;

    public record CheckpointView(UUID id, long seq, Instant createdAt, long heads, String headsDigest,
            String prevHash, String hash) {

        static CheckpointView of(LedgerCheckpoint c) {
            return new CheckpointView(c.id, c.seq, c.createdAt, c.heads, c.headsDigest, c.prevHash, c.hash);
        }
    }

    /** Writes a checkpoint of the current workspace; empty when no chain changed since the last one. */
    @Transactional
    public Optional<CheckpointView> checkpoint() {
        String tenantId = currentTenant.id();
        // One checkpoint at a time per workspace (appends do not take this lock).
        tenancy.lockCurrentWorkspace();
        Optional<LedgerCheckpoint> previous = latestEntity();
        UUID id = Ids.uuid7(clock);
        int heads = em.createNativeQuery("""
                INSERT INTO ledger_checkpoint_heads (checkpoint_id, tenant_id, subscriber_id, seq, hash)
                SELECT ?1, s.tenant_id, s.id, s.last_seq, s.last_hash FROM subscribers s
                WHERE s.tenant_id = ?2 AND s.last_seq > 0
                  AND NOT EXISTS (SELECT 1 FROM ledger_checkpoint_heads h
                                  WHERE h.subscriber_id = s.id AND h.seq = s.last_seq)""")
                .setParameter(1, id).setParameter(2, tenantId).executeUpdate();
        if (heads == 0) {
            return Optional.empty();
        }
        LedgerCheckpoint c = new LedgerCheckpoint();
        c.id = id;
        c.seq = previous.map(p -> p.seq + 1).orElse(1L);
        c.createdAt = LedgerHash.truncate(clock.instant());
        c.heads = heads;
        c.headsDigest = headsDigest(id);
        c.prevHash = previous.map(p -> p.hash).orElse(LedgerHash.GENESIS);
        c.hash = LedgerHash.checkpointHash(tenantId, c.seq, c.createdAt, c.heads, c.headsDigest, c.prevHash);
        em.persist(c);
        return Optional.of(CheckpointView.of(c));
    }

    @Transactional
    public Optional<CheckpointView> latest() {
        return latestEntity().map(CheckpointView::of);
    }

    @Transactional
    public List<CheckpointView> list() {
        return em.createQuery("from LedgerCheckpoint order by seq desc", LedgerCheckpoint.class).setMaxResults(1000)
                .getResultStream().map(CheckpointView::of).toList();
    }

    /** Checkpoints every workspace whose ledger changed (every hour by default). */
    @Scheduled(every = "${consentcast.ledger.checkpoint-every:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkpointAll() {
        List<String> tenants = tenantScope.platform(tenancy::allTenantIds);
        for (String tenantId : tenants) {
            try {
                tenantScope.call(tenantId, this::checkpoint);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Could not write a ledger checkpoint for workspace %s", tenantId);
            }
        }
    }

    private Optional<LedgerCheckpoint> latestEntity() {
        return em.createQuery("from LedgerCheckpoint order by seq desc", LedgerCheckpoint.class).setMaxResults(1)
                .getResultStream().findFirst();
    }

    private String headsDigest(UUID checkpointId) {
        MessageDigest digest = sha256();
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement st = connection.prepareStatement("SELECT subscriber_id, seq, hash"
                    + " FROM ledger_checkpoint_heads WHERE checkpoint_id = ? ORDER BY subscriber_id")) {
                st.setFetchSize(1000);
                st.setObject(1, checkpointId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        digest.update(LedgerHash.headLine(uuid(rs.getObject(1)), rs.getLong(2), rs.getString(3))
                                .getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        });
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Checks the checkpoint chain of a workspace and that every recorded head still is the event
     * at that position. Runs in the caller's transaction; the first problem, or null.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    LedgerVerifier.Invalid verify(String tenantId) {
        LedgerVerifier.Invalid[] first = { null };
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement st = connection.prepareStatement("""
                    SELECT c.id, c.seq, c.created_at, c.heads, c.heads_digest, c.prev_hash, c.hash,
                           h.subscriber_id, h.seq AS head_seq, h.hash AS head_hash
                    FROM ledger_checkpoints c LEFT JOIN ledger_checkpoint_heads h ON h.checkpoint_id = c.id
                    WHERE c.tenant_id = ? ORDER BY c.seq, h.subscriber_id""")) {
                st.setFetchSize(1000);
                st.setString(1, tenantId);
                try (ResultSet rs = st.executeQuery()) {
                    Group group = null;
                    String prevHash = LedgerHash.GENESIS;
                    long expectedSeq = 1;
                    while (rs.next() && first[0] == null) {
                        UUID id = uuid(rs.getObject("id"));
                        if (group == null || !group.id.equals(id)) {
                            if (group != null) {
                                first[0] = group.problem(tenantId, prevHash, expectedSeq);
                                prevHash = group.hash;
                                expectedSeq = group.seq + 1;
                            }
                            group = new Group(id, rs.getLong("seq"),
                                    rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getLong("heads"),
                                    rs.getString("heads_digest"), rs.getString("prev_hash"), rs.getString("hash"));
                        }
                        Object subscriber = rs.getObject("subscriber_id");
                        if (subscriber != null) {
                            group.count++;
                            group.digest.update(LedgerHash.headLine(uuid(subscriber), rs.getLong("head_seq"),
                                    rs.getString("head_hash")).getBytes(StandardCharsets.UTF_8));
                        }
                    }
                    if (first[0] == null && group != null) {
                        first[0] = group.problem(tenantId, prevHash, expectedSeq);
                    }
                }
            }
            if (first[0] != null) {
                return;
            }
            try (PreparedStatement st = connection.prepareStatement("""
                    SELECT h.checkpoint_id, h.subscriber_id, h.seq, e.id AS event_id
                    FROM ledger_checkpoint_heads h
                    LEFT JOIN consent_events e ON e.subscriber_id = h.subscriber_id AND e.seq = h.seq
                    WHERE h.tenant_id = ? AND (e.id IS NULL OR e.hash <> h.hash)
                    ORDER BY h.checkpoint_id, h.subscriber_id""")) {
                st.setMaxRows(1);
                st.setString(1, tenantId);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        Object event = rs.getObject("event_id");
                        first[0] = new LedgerVerifier.Invalid(
                                event == null ? uuid(rs.getObject("checkpoint_id")).toString() : event.toString(),
                                "a checkpoint recorded another event at seq " + rs.getLong("seq")
                                        + " of this subscriber: the chain was rewritten");
                    }
                }
            }
        });
        return first[0];
    }

    /** One checkpoint with the digest of its heads as read back. */
    private static final class Group {
        final UUID id;
        final long seq;
        final Instant createdAt;
        final long heads;
        final String headsDigest;
        final String prevHash;
        final String hash;
        final MessageDigest digest = sha256();
        long count;

        Group(UUID id, long seq, Instant createdAt, long heads, String headsDigest, String prevHash, String hash) {
            this.id = id;
            this.seq = seq;
            this.createdAt = createdAt;
            this.heads = heads;
            this.headsDigest = headsDigest;
            this.prevHash = prevHash;
            this.hash = hash;
        }

        LedgerVerifier.Invalid problem(String tenantId, String expectedPrev, long expectedSeq) {
            String reason = null;
            if (seq != expectedSeq) {
                reason = "checkpoint sequence gap: expected " + expectedSeq + " but found " + seq;
            } else if (!prevHash.equals(expectedPrev)) {
                reason = "checkpoint prev_hash does not match the previous checkpoint";
            } else if (count != heads || !HexFormat.of().formatHex(digest.digest()).equals(headsDigest)) {
                reason = "the checkpoint's recorded heads do not match its heads_digest";
            } else if (!LedgerHash.checkpointHash(tenantId, seq, createdAt, heads, headsDigest, prevHash).equals(hash)) {
                reason = "checkpoint hash does not match its content";
            }
            return reason == null ? null : new LedgerVerifier.Invalid(id.toString(), reason);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
