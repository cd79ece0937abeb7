package io.consentcast.testsupport;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.consentcast.consent.ConsentEvent;
import io.consentcast.consent.ConsentEventType;
import io.consentcast.consent.ConsentProjection;

/**
 * Generates many subscribers with valid hash-chained ledger events directly in PostgreSQL, for scale tests
 * and benchmarks ({@code LedgerScaleTest}, {@code bench/}). Runs as a superuser connection (row-level
 * security does not apply to it; the append-only triggers only refuse changes, not inserts).
 *
 * <p>
 * Subscriber {@code n} (1..count) gets the number {@code +49151} followed by {@code n} in eight digits (a
 * valid German mobile number) and the event chain {@code chains.get(n % chains.size())}, all events for
 * one list. Every event's hash is computed by PostgreSQL's {@code sha256} with the canonical serialization
 * of docs/LEDGER.md ({@code consentcast-ledger-v1}), so verifying the ledger also cross-checks the
 * documented algorithm. With {@code states}, the derived {@code consent_states} rows of that list are
 * written as {@link ConsentProjection} computes them (the projection of each distinct chain is computed
 * once in Java, then joined in SQL).
 *
 * <p>
 * The inserts run with {@code session_replication_role = replica} (no foreign-key triggers per row), which
 * needs the superuser; the rows are consistent by construction.
 *
 * <p>
 * Simplifications, harmless for what these runs measure: {@code phone_hmac} is the plain SHA-256 of the
 * number (not the keyed HMAC, so such subscribers are not found again by number), the events carry no
 * consent text and no evidence.
 */
public final class LedgerGenerator {

    private LedgerGenerator() {
    }

    public record Result(long subscribers, long events, Duration took) {
    }

    /**
     * @param superuser a connection as a PostgreSQL superuser to the application's database
     * @param publicIdPrefix makes the (globally unique) public ids of this run unique, at most 20 characters
     */
    public static Result generate(Connection superuser, String tenantId, UUID listId, long count,
            List<List<ConsentEventType>> chains, boolean states, String publicIdPrefix) throws SQLException {
        if (count < 1 || count > 99_999_999L) {
            throw new IllegalArgumentException("count must be 1..99,999,999 (eight-digit numbers), was " + count);
        }
        if (chains.isEmpty() || chains.stream().anyMatch(List::isEmpty)) {
            throw new IllegalArgumentException("every chain needs at least one event");
        }
        if (chains.stream().flatMap(List::stream).anyMatch(t -> t == ConsentEventType.ERASED)) {
            throw new IllegalArgumentException("ERASED needs the erasure of the subscriber row; not generated");
        }
        if (publicIdPrefix.length() > 20 || !publicIdPrefix.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("publicIdPrefix: up to 20 of a-z, 0-9 and '-'");
        }
        long started = System.nanoTime();
        boolean autoCommit = superuser.getAutoCommit();
        superuser.setAutoCommit(false);
        try (Statement st = superuser.createStatement()) {
            // Bulk load: no foreign-key triggers row by row (the rows reference each other correctly by construction).
            st.execute("SET LOCAL session_replication_role = replica");
            st.execute("""
                    CREATE OR REPLACE FUNCTION pg_temp.f(name text, v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
                      SELECT name || '=' || CASE WHEN v IS NULL THEN '-' ELSE octet_length(v) || ':' || v END || E'\\n'
                    $$""");
            st.execute("""
                    CREATE OR REPLACE FUNCTION pg_temp.t(ts timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
                      SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                    $$""");
            st.execute("CREATE TEMP TABLE gen_chain (pattern int, seq int, type text, source text) ON COMMIT DROP");
            st.execute("CREATE TEMP TABLE gen_subscriber (id uuid PRIMARY KEY, n bigint, pattern int) ON COMMIT DROP");
            int longest = 0;
            StringBuilder rows = new StringBuilder();
            for (int p = 0; p < chains.size(); p++) {
                List<ConsentEventType> chain = chains.get(p);
                longest = Math.max(longest, chain.size());
                for (int s = 1; s <= chain.size(); s++) {
                    rows.append(rows.isEmpty() ? "" : ",").append("(").append(p).append(",").append(s).append(",'")
                            .append(chain.get(s - 1).name()).append("','").append(source(chain.get(s - 1))).append("')");
                }
            }
            st.execute("INSERT INTO gen_chain VALUES " + rows);
            st.execute("INSERT INTO gen_subscriber SELECT gen_random_uuid(), n, (n % " + chains.size() + ")::int"
                    + " FROM generate_series(1, " + count + ") n");
            st.execute("CREATE TEMP TABLE gen_last ON COMMIT DROP AS SELECT pattern, max(seq) AS seq FROM gen_chain"
                    + " GROUP BY pattern");
            // Statistics for the planner, so that the joins below hash instead of looping over a million rows.
            st.execute("ANALYZE gen_chain");
            st.execute("ANALYZE gen_subscriber");
            st.execute("ANALYZE gen_last");
            long events = 0;
            for (int seq = 1; seq <= longest; seq++) {
                String prev = seq == 1 ? "repeat('0', 64)" : "p.hash";
                String join = seq == 1 ? "" : " JOIN consent_events p ON p.subscriber_id = g.id AND p.seq = " + (seq - 1);
                events += st.executeUpdate("""
                        WITH c AS (
                          SELECT gen_random_uuid() AS id, '%s'::text AS tenant_id, g.id AS subscriber_id, %d::bigint AS seq,
                                 '%s'::uuid AS list_id, ch.type, ch.source,
                                 date_trunc('milliseconds', now()) + (%d || ' seconds')::interval AS occurred_at,
                                 CASE ch.source WHEN 'LANDING_PAGE' THEN 'https://example.org/p/%s?r=' || g.n
                                                WHEN 'IMPORT' THEN 'import-%s.csv' END AS source_detail,
                                 CASE WHEN ch.source = 'WHATSAPP' THEN 'wamid.%s.' || g.n || '.%d' END AS wa_message_id,
                                 CASE WHEN ch.source = 'WHATSAPP' THEN date_trunc('seconds', now()) + (%d || ' seconds')::interval
                                      END AS wa_timestamp,
                                 CASE WHEN ch.source = 'SYSTEM' THEN 'generated ' || lower(ch.type) END AS reason,
                                 %s AS prev_hash
                          FROM gen_subscriber g JOIN gen_chain ch ON ch.pattern = g.pattern AND ch.seq = %d%s)
                        INSERT INTO consent_events (id, tenant_id, subscriber_id, seq, list_id, type, occurred_at, source,
                            source_detail, wa_message_id, wa_timestamp, reason, prev_hash, hash)
                        SELECT id, tenant_id, subscriber_id, seq, list_id, type, occurred_at, source, source_detail,
                               wa_message_id, wa_timestamp, reason, prev_hash,
                               encode(sha256(convert_to('consentcast-ledger-v1' || E'\\n'
                                 || pg_temp.f('id', id::text) || pg_temp.f('tenant_id', tenant_id)
                                 || pg_temp.f('subscriber_id', subscriber_id::text) || pg_temp.f('seq', seq::text)
                                 || pg_temp.f('list_id', list_id::text) || pg_temp.f('type', type)
                                 || pg_temp.f('occurred_at', pg_temp.t(occurred_at)) || pg_temp.f('source', source)
                                 || pg_temp.f('source_detail', source_detail) || pg_temp.f('consent_text_id', NULL)
                                 || pg_temp.f('consent_text_sha256', NULL) || pg_temp.f('evidence_digest', NULL)
                                 || pg_temp.f('wa_message_id', wa_message_id)
                                 || pg_temp.f('wa_timestamp', CASE WHEN wa_timestamp IS NOT NULL THEN pg_temp.t(wa_timestamp) END)
                                 || pg_temp.f('actor_user_id', NULL) || pg_temp.f('reason', reason)
                                 || pg_temp.f('prev_hash', prev_hash), 'UTF8')), 'hex')
                        FROM c""".formatted(tenantId, seq, listId, seq, publicIdPrefix, publicIdPrefix, publicIdPrefix,
                        seq, seq - 1, prev, seq, join));
                st.execute("ANALYZE consent_events"); // the next level joins this one
            }
            // The subscribers last, with their chain heads: inserting them first and updating a million rows
            // afterwards writes every row and index entry twice (the events' foreign key is not checked
            // row by row here, and every row exists when the transaction commits).
            st.execute("INSERT INTO subscribers (id, tenant_id, public_id, phone, phone_hmac, created_at, last_seq, last_hash)"
                    + " SELECT g.id, '" + tenantId + "', '" + publicIdPrefix + "' || g.n, '+49151' || lpad(g.n::text, 8, '0'),"
                    + " encode(sha256(('+49151' || lpad(g.n::text, 8, '0'))::bytea), 'hex'), now(), e.seq, e.hash"
                    + " FROM gen_subscriber g JOIN gen_last l ON l.pattern = g.pattern"
                    + " JOIN consent_events e ON e.subscriber_id = g.id AND e.seq = l.seq");
            st.execute("ANALYZE subscribers");
            if (states) {
                projectStates(st, tenantId, listId, chains);
            }
            superuser.commit();
            st.execute("ANALYZE subscribers");
            st.execute("ANALYZE consent_events");
            st.execute("ANALYZE consent_states");
            superuser.commit();
            return new Result(count, events, Duration.ofNanos(System.nanoTime() - started));
        } catch (SQLException | RuntimeException e) {
            superuser.rollback();
            throw e;
        } finally {
            superuser.setAutoCommit(autoCommit);
        }
    }

    /** The derived state of each chain, as {@link ConsentProjection#apply} computes it, joined to every subscriber. */
    private static void projectStates(Statement st, String tenantId, UUID listId, List<List<ConsentEventType>> chains)
            throws SQLException {
        st.execute("CREATE TEMP TABLE gen_state (pattern int, state text, consent_state text, suppressed boolean,"
                + " since_seq int, last_seq int) ON COMMIT DROP");
        StringBuilder rows = new StringBuilder();
        for (int p = 0; p < chains.size(); p++) {
            Map<UUID, ConsentProjection.Row> projected = new HashMap<>();
            List<ConsentEventType> chain = chains.get(p);
            for (int s = 1; s <= chain.size(); s++) {
                ConsentEvent e = new ConsentEvent();
                e.id = new UUID(0, s);
                e.seq = s;
                e.listId = listId;
                e.type = chain.get(s - 1);
                e.occurredAt = Instant.ofEpochSecond(s);
                ConsentProjection.apply(projected, e);
            }
            ConsentProjection.Row row = projected.get(listId);
            if (row == null) {
                continue;
            }
            rows.append(rows.isEmpty() ? "" : ",").append("(").append(p).append(",'").append(row.state().name())
                    .append("',").append(row.consent() == null ? "NULL" : "'" + row.consent().name() + "'").append(",")
                    .append(row.suppressed()).append(",").append(row.since().getEpochSecond()).append(",")
                    .append(row.lastEventId().getLeastSignificantBits()).append(")");
        }
        if (rows.isEmpty()) {
            return;
        }
        st.execute("INSERT INTO gen_state VALUES " + rows);
        st.execute("INSERT INTO consent_states (id, tenant_id, subscriber_id, list_id, state, consent_state, suppressed,"
                + " since, last_event_id)"
                + " SELECT gen_random_uuid(), '" + tenantId + "', g.id, '" + listId + "', gs.state, gs.consent_state,"
                + " gs.suppressed, se.occurred_at, le.id"
                + " FROM gen_subscriber g JOIN gen_state gs ON gs.pattern = g.pattern"
                + " JOIN consent_events se ON se.subscriber_id = g.id AND se.seq = gs.since_seq"
                + " JOIN consent_events le ON le.subscriber_id = g.id AND le.seq = gs.last_seq");
    }

    /** Where each kind of event comes from in real life (the evidence the source needs is generated with it). */
    private static String source(ConsentEventType type) {
        return switch (type) {
            case REQUESTED -> "LANDING_PAGE";
            case CONFIRMED, WITHDRAWN, SUPPRESSED, UNSUPPRESSED -> "WHATSAPP";
            case IMPORTED -> "IMPORT";
            case EXPIRED, REPERMISSION_REQUESTED, ERASED -> "SYSTEM";
        };
    }
}
