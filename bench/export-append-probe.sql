-- Append cost of the ledger's indexes before and after V9_50 (docs/PERFORMANCE.md, section 3), on a database the
-- export benchmark left (bash bench/export.sh; its consent_events as the source of rows):
--   psql -h 127.0.0.1 -U postgres -d consentcast_bench_export -f bench/export-append-probe.sql
-- Two scratch tables with consent_events' columns, each filled with the same 300,000 events; "before" with the
-- indexes up to V9_30 (primary key, chain, tenant_time, tenant_subscriber), "after" with those of V9_50 (the
-- covering consent_events_export and consent_events_export_long instead of tenant_subscriber). Then, alternately,
-- 20,000 further events inserted one statement per row into each (in random subscriber order, as appends arrive),
-- three rounds: time and WAL per event. No constraints, triggers or commits are measured, only the table and its
-- indexes. The scratch tables are dropped at the end.
\timing off
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP TABLE IF EXISTS probe_before, probe_after, probe_rows;
CREATE UNLOGGED TABLE probe_rows AS
    SELECT row_number() OVER () AS n, e.* FROM (SELECT * FROM consent_events ORDER BY id LIMIT 360000) e;
CREATE TABLE probe_before (LIKE consent_events);
CREATE TABLE probe_after (LIKE consent_events);
INSERT INTO probe_before SELECT id, tenant_id, subscriber_id, seq, list_id, type, occurred_at, source, source_detail,
    consent_text_id, consent_text_sha256, evidence_digest, wa_message_id, wa_timestamp, actor_user_id, reason,
    prev_hash, hash FROM probe_rows WHERE n <= 300000;
INSERT INTO probe_after SELECT * FROM probe_before;
ALTER TABLE probe_before ADD PRIMARY KEY (id), ADD UNIQUE (subscriber_id, seq);
CREATE INDEX ON probe_before (tenant_id, occurred_at);
CREATE INDEX ON probe_before (tenant_id, subscriber_id, seq);
ALTER TABLE probe_after ADD PRIMARY KEY (id), ADD UNIQUE (subscriber_id, seq);
CREATE INDEX ON probe_after (tenant_id, occurred_at);
CREATE INDEX ON probe_after (tenant_id, subscriber_id, seq)
    INCLUDE (id, list_id, type, occurred_at, source, source_detail, consent_text_id, consent_text_sha256,
             evidence_digest, wa_message_id, wa_timestamp, actor_user_id, reason, prev_hash, hash)
    WHERE octet_length(COALESCE(source_detail, '')) + octet_length(COALESCE(wa_message_id, ''))
          + octet_length(COALESCE(reason, '')) <= 2000;
CREATE INDEX ON probe_after (tenant_id, subscriber_id, seq)
    WHERE octet_length(COALESCE(source_detail, '')) + octet_length(COALESCE(wa_message_id, ''))
          + octet_length(COALESCE(reason, '')) > 2000;
VACUUM ANALYZE probe_before;
VACUUM ANALYZE probe_after;

CREATE TEMP TABLE probe_result (round int, variant text, events int, ms float8, wal_bytes numeric);
CREATE FUNCTION pg_temp.probe(variant text, round int, first bigint, last bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    r probe_rows%ROWTYPE;
    t0 timestamptz;
    w0 pg_lsn;
BEGIN
    t0 := clock_timestamp();
    w0 := pg_current_wal_insert_lsn();
    FOR r IN SELECT * FROM probe_rows WHERE n BETWEEN first AND last ORDER BY md5(id::text) LOOP
        EXECUTE format('INSERT INTO %I VALUES (($1).id, ($1).tenant_id, ($1).subscriber_id, ($1).seq, ($1).list_id, ($1).type,'
            ' ($1).occurred_at, ($1).source, ($1).source_detail, ($1).consent_text_id, ($1).consent_text_sha256,'
            ' ($1).evidence_digest, ($1).wa_message_id, ($1).wa_timestamp, ($1).actor_user_id, ($1).reason,'
            ' ($1).prev_hash, ($1).hash)', 'probe_' || variant) USING r;
    END LOOP;
    INSERT INTO probe_result VALUES (round, variant, last - first + 1,
        extract(epoch FROM clock_timestamp() - t0) * 1000, pg_current_wal_insert_lsn() - w0);
END $$;
SELECT pg_temp.probe('before', 1, 300001, 320000);
SELECT pg_temp.probe('after', 1, 300001, 320000);
SELECT pg_temp.probe('after', 2, 320001, 340000);
SELECT pg_temp.probe('before', 2, 320001, 340000);
SELECT pg_temp.probe('before', 3, 340001, 360000);
SELECT pg_temp.probe('after', 3, 340001, 360000);

\echo Per event, each round:
SELECT round, variant, round((ms * 1000 / events)::numeric, 1) AS us_per_event,
       round(wal_bytes / events) AS wal_bytes_per_event FROM probe_result ORDER BY round, variant;
\echo Median of the three rounds:
SELECT variant, round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms * 1000 / events))::numeric, 1) AS us_per_event,
       round(avg(wal_bytes / events)) AS wal_bytes_per_event FROM probe_result GROUP BY variant ORDER BY variant DESC;
\echo Index sizes (360,000 events):
SELECT c.relname AS table_name, i.relname AS index_name, pg_size_pretty(pg_relation_size(i.oid)) AS size
  FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
 WHERE c.relname IN ('probe_before', 'probe_after') ORDER BY c.relname DESC, i.relname;
SELECT relname, pg_size_pretty(pg_relation_size(oid)) AS heap FROM pg_class WHERE relname = 'probe_before';
DROP TABLE probe_before, probe_after, probe_rows;
