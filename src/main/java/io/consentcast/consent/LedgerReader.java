package io.consentcast.consent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.hibernate.Session;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

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
                """);
        List<Object> params = new ArrayList<>();
        fromWhereOrder(sql, tenantId, filter, value -> {
            params.add(value instanceof Instant i ? Timestamp.from(i) : value);
            return "?";
        });
        em.unwrap(Session.class).doWork(connection -> query(connection, sql.toString(), params, sink));
    }

    /**
     * Whether an event's free text fits the covering index {@code consent_events_export} (migration V9_50: the same
     * text there, or PostgreSQL cannot prove that the index holds the rows); the others are in
     * {@code consent_events_export_long}.
     */
    private static final String FITS = "octet_length(COALESCE(source_detail, '')) + octet_length(COALESCE(wa_message_id, ''))"
            + " + octet_length(COALESCE(reason, '')) <= 2000";

    private static final String EVENT_COLUMNS = "id, tenant_id, subscriber_id, seq, list_id, type, occurred_at, source,"
            + " source_detail, consent_text_id, consent_text_sha256, evidence_digest, wa_message_id, wa_timestamp,"
            + " actor_user_id, reason, prev_hash, hash";

    /**
     * The workspace's events as two parts, each in the key order (tenant_id, subscriber_id, seq) of its own index:
     * the events whose free text fits, from the covering index alone (an index-only scan), and the rest. PostgreSQL
     * merges the two in that order (Merge Append) without sorting (docs/PERFORMANCE.md, section 3). Each part has its
     * own ORDER BY: a UNION ALL part with a WHERE is planned as a subquery of its own, which keeps its ordered index
     * path only when asked for an order (without it PostgreSQL scanned the table and sorted the union).
     */
    private static final String EVENTS = "((SELECT " + EVENT_COLUMNS + " FROM consent_events WHERE " + FITS
            + " ORDER BY subscriber_id, seq) UNION ALL (SELECT " + EVENT_COLUMNS + " FROM consent_events WHERE NOT ("
            + FITS + ") ORDER BY subscriber_id, seq))";

    /**
     * The joins, the filter and the order every ledger read shares: the workspace's events with their subscriber,
     * evidence and consent text version, ordered by subscriber and sequence number (the order of the indexes
     * {@code consent_events_export} and {@code consent_events_export_long}, so PostgreSQL streams them without
     * sorting). {@code bind} turns a filter value into SQL: a parameter marker, or a literal for {@code COPY}, which
     * takes no parameters.
     */
    private static void fromWhereOrder(StringBuilder sql, String tenantId, Filter filter, Function<Object, String> bind) {
        sql.append("FROM ").append(EVENTS).append("""
                 e
                JOIN subscribers s ON s.id = e.subscriber_id
                LEFT JOIN consent_evidence v ON v.event_id = e.id
                LEFT JOIN consent_texts t ON t.id = e.consent_text_id
                WHERE e.tenant_id = """).append(bind.apply(tenantId));
        if (filter.from() != null) {
            sql.append(" AND e.occurred_at >= ").append(bind.apply(filter.from()));
        }
        if (filter.to() != null) {
            sql.append(" AND e.occurred_at < ").append(bind.apply(filter.to()));
        }
        if (filter.listId() != null) {
            String list = bind.apply(filter.listId());
            sql.append(" AND (e.list_id = ").append(list).append(" OR e.list_id IS NULL)");
        }
        if (filter.subscriberPublicId() != null) {
            sql.append(" AND s.public_id = ").append(bind.apply(filter.subscriberPublicId()));
        }
        sql.append(" ORDER BY e.subscriber_id, e.seq");
    }

    /** Receives the rows of {@link #copyExportRows}. */
    interface CopyRowHandler {
        void row(CopyRow row) throws IOException;
    }

    /**
     * Streams the export's rows ({@link ExportColumn}, in that order) to {@code handler} through PostgreSQL's
     * {@code COPY (SELECT ...) TO STDOUT (FORMAT binary)}, in the caller's transaction and so under the workspace's
     * row-level security. COPY streams without round trips per batch, so the database produces rows while the
     * application writes the previous ones; a row is one protocol message, so memory use does not depend on the
     * number of rows. A failure of the handler (the client went away) cancels the COPY. Returns the rows.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    long copyExportRows(String tenantId, Filter filter, CopyRowHandler handler) {
        StringBuilder sql = new StringBuilder("COPY (SELECT ").append(ExportColumn.selectList()).append('\n');
        fromWhereOrder(sql, tenantId, filter, LedgerReader::literal);
        sql.append(") TO STDOUT (FORMAT binary)");
        long[] rows = { 0 };
        em.unwrap(Session.class).doWork(connection -> {
            CopyOut copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(sql.toString());
            try {
                CopyRow row = new CopyRow(ExportColumn.ALL.size());
                boolean header = true;
                byte[] message;
                while ((message = copy.readFromCopy()) != null) {
                    int at = header ? CopyRow.skipHeader(message) : 0;
                    header = false;
                    while (at < message.length) {
                        at = row.read(message, at);
                        if (at < 0) {
                            break; // the trailer
                        }
                        handler.row(row);
                        rows[0]++;
                    }
                }
            } catch (IOException e) {
                cancel(copy, e);
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                cancel(copy, e);
                throw e;
            }
        });
        return rows[0];
    }

    /** Ends a COPY the handler gave up on, so that the connection can roll back and return to the pool. */
    private static void cancel(CopyOut copy, Exception cause) {
        if (copy.isActive()) {
            try {
                copy.cancelCopy();
            } catch (SQLException e) {
                cause.addSuppressed(e);
            }
        }
    }

    /**
     * A filter value as a PostgreSQL literal for {@code COPY}: strings as escape-string literals ({@code E'...'}
     * with {@code \} and {@code '} doubled, whatever {@code standard_conforming_strings} says), instants and UUIDs
     * from their ISO forms with a cast.
     */
    static String literal(Object value) {
        if (value instanceof Instant i) {
            return "'" + i + "'::timestamptz";
        }
        if (value instanceof UUID u) {
            return "'" + u + "'::uuid";
        }
        String s = value.toString();
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a text value with a NUL character");
        }
        return "E'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /**
     * One row of PostgreSQL's binary COPY format, a view into the message it arrived in (reused for every row):
     * per column the offset and length of its bytes, -1 for NULL. Integers and timestamps are big-endian
     * (timestamps: microseconds since 2000-01-01 UTC), UUIDs 16 bytes, text its UTF-8 bytes.
     */
    static final class CopyRow {

        /** "PGCOPY\n\377\r\n\0", flags, header extension length (PostgreSQL's COPY documentation). */
        private static final byte[] SIGNATURE = { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0 };

        private final int[] offset;
        private final int[] length;
        private byte[] data;

        CopyRow(int columns) {
            offset = new int[columns];
            length = new int[columns];
        }

        static int skipHeader(byte[] m) {
            if (m.length < SIGNATURE.length + 8 || !Arrays.equals(m, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
                throw new IllegalStateException("not PostgreSQL's binary COPY format");
            }
            return SIGNATURE.length + 8 + int4(m, SIGNATURE.length + 4);
        }

        /** Reads the row at {@code at}; returns where the next one starts, or -1 at the trailer. */
        int read(byte[] m, int at) {
            int fields = (short) (((m[at] & 0xFF) << 8) | (m[at + 1] & 0xFF));
            if (fields == -1) {
                return -1;
            }
            if (fields != offset.length) {
                throw new IllegalStateException("COPY row with " + fields + " columns, expected " + offset.length);
            }
            data = m;
            int p = at + 2;
            for (int i = 0; i < fields; i++) {
                int len = int4(m, p);
                p += 4;
                offset[i] = p;
                length[i] = len;
                if (len > 0) {
                    p += len;
                }
            }
            if (p > m.length) {
                throw new IllegalStateException("COPY row longer than its message");
            }
            return p;
        }

        byte[] data() {
            return data;
        }

        int offset(int column) {
            return offset[column];
        }

        int length(int column) {
            return length[column];
        }

        boolean isNull(int column) {
            return length[column] < 0;
        }

        long int8(int column) {
            int o = offset[column];
            return ((long) int4(data, o) << 32) | (int4(data, o + 4) & 0xFFFF_FFFFL);
        }

        int int4(int column) {
            return int4(data, offset[column]);
        }

        private static int int4(byte[] m, int o) {
            return ((m[o] & 0xFF) << 24) | ((m[o + 1] & 0xFF) << 16) | ((m[o + 2] & 0xFF) << 8) | (m[o + 3] & 0xFF);
        }
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
