package io.consentcast.consent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.hibernate.Session;

/**
 * Streams the ledger of one workspace row by row over JDBC with a fetch size, ordered by
 * subscriber and sequence number, joined with the subscriber, the evidence and the consent text
 * version. Memory use does not depend on the number of events. Runs inside the caller's transaction
 * (PostgreSQL only streams with a cursor inside a transaction).
 */
@ApplicationScoped
class LedgerReader {

    @Inject
    EntityManager em;

    @Inject
    LedgerConfig config;

    /** Which events to read; every part is optional. {@code to} is exclusive. */
    record Filter(Instant from, Instant to, UUID listId, String subscriberPublicId) {
        static final Filter ALL = new Filter(null, null, null, null);
    }

    /** One event with what an export shows next to it. */
    record Row(LedgerHash.Content content, String hash, String subscriberPublicId, String phone, String phoneHmac,
            long subscriberLastSeq, String subscriberLastHash, String evidenceSalt, String ip, String userAgent,
            boolean evidencePresent, Integer consentTextVersion, String consentTextLanguage,
            String consentTextStoredSha256) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void stream(String tenantId, Filter filter, Consumer<Row> sink) {
        StringBuilder sql = new StringBuilder("""
                SELECT e.id, e.tenant_id, e.subscriber_id, e.seq, e.list_id, e.type, e.occurred_at, e.source,
                       e.source_detail, e.consent_text_id, e.consent_text_sha256, e.evidence_digest, e.wa_message_id,
                       e.wa_timestamp, e.actor_user_id, e.reason, e.prev_hash, e.hash,
                       s.public_id, s.phone, s.phone_hmac, s.last_seq, s.last_hash,
                       v.event_id AS evidence_id, v.salt, v.ip, v.user_agent,
                       t.version AS text_version, t.language AS text_language, t.sha256 AS text_sha256
                FROM consent_events e
                JOIN subscribers s ON s.id = e.subscriber_id
                LEFT JOIN consent_evidence v ON v.event_id = e.id
                LEFT JOIN consent_texts t ON t.id = e.consent_text_id
                WHERE e.tenant_id = ?""");
        List<Object> params = new ArrayList<>();
        params.add(tenantId);
        if (filter.from() != null) {
            sql.append(" AND e.occurred_at >= ?");
            params.add(Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            sql.append(" AND e.occurred_at < ?");
            params.add(Timestamp.from(filter.to()));
        }
        if (filter.listId() != null) {
            sql.append(" AND (e.list_id = ? OR e.list_id IS NULL)");
            params.add(filter.listId());
        }
        if (filter.subscriberPublicId() != null) {
            sql.append(" AND s.public_id = ?");
            params.add(filter.subscriberPublicId());
        }
        sql.append(" ORDER BY e.subscriber_id, e.seq");
        em.unwrap(Session.class).doWork(connection -> query(connection, sql.toString(), params, sink));
    }

    private void query(Connection connection, String sql, List<Object> params, Consumer<Row> sink)
            throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY)) {
            st.setFetchSize(config.fetchSize());
            for (int i = 0; i < params.size(); i++) {
                st.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    sink.accept(row(rs));
                }
            }
        }
    }

    /**
     * One row, read by column position in the order of the SELECT above (by name, the driver looks every
     * name up for every value: 6% of an export's CPU, docs/PERFORMANCE.md).
     */
    private static Row row(ResultSet rs) throws SQLException {
        LedgerHash.Content content = new LedgerHash.Content(uuid(rs, 1), rs.getString(2), uuid(rs, 3), rs.getLong(4),
                uuid(rs, 5), rs.getString(6), instant(rs, 7), rs.getString(8), rs.getString(9), uuid(rs, 10),
                rs.getString(11), rs.getString(12), rs.getString(13), instant(rs, 14), uuid(rs, 15), rs.getString(16),
                rs.getString(17));
        int version = rs.getInt(28);
        Integer textVersion = rs.wasNull() ? null : version;
        return new Row(content, rs.getString(18), rs.getString(19), rs.getString(20), rs.getString(21), rs.getLong(22),
                rs.getString(23), rs.getString(25), rs.getString(26), rs.getString(27), rs.getObject(24) != null,
                textVersion, rs.getString(29), rs.getString(30));
    }

    private static UUID uuid(ResultSet rs, int column) throws SQLException {
        Object value = rs.getObject(column);
        if (value == null) {
            return null;
        }
        return value instanceof UUID u ? u : UUID.fromString(value.toString());
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** Subscribers whose chain head says they have events although none are left. */
    @Transactional(Transactional.TxType.MANDATORY)
    List<String> subscribersWithLostEvents(String tenantId) {
        List<String> out = new ArrayList<>();
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement st = connection.prepareStatement("""
                    SELECT s.public_id FROM subscribers s
                    WHERE s.tenant_id = ? AND s.last_seq > 0
                      AND NOT EXISTS (SELECT 1 FROM consent_events e WHERE e.subscriber_id = s.id)
                    ORDER BY s.id""")) {
                st.setMaxRows(10);
                st.setString(1, tenantId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
        });
        return out;
    }

    /** Consent texts whose stored text no longer matches their SHA-256 (changed behind our back). */
    @Transactional(Transactional.TxType.MANDATORY)
    List<UUID> alteredConsentTexts(String tenantId) {
        List<UUID> out = new ArrayList<>();
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement st = connection.prepareStatement(
                    "SELECT id, text, sha256 FROM consent_texts WHERE tenant_id = ? ORDER BY id")) {
                st.setFetchSize(100);
                st.setString(1, tenantId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        if (!LedgerHash.sha256Hex(rs.getString("text")).equals(rs.getString("sha256"))) {
                            out.add(uuid(rs, 1));
                        }
                    }
                }
            }
        });
        return out;
    }
}
