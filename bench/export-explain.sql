-- EXPLAIN (ANALYZE, BUFFERS) of the export's query (LedgerReader.copyExportRows: the SELECT inside its COPY, the
-- columns of ExportColumn) as the application role with the workspace set, so row-level security applies as in
-- production. On the database the export benchmark left (docs/PERFORMANCE.md, section 3):
--   PGPASSWORD=consentcast_app psql -h 127.0.0.1 -U consentcast_app -d consentcast_bench_export \
--     -v tenant=<the workspace id> -f bench/export-explain.sql
\set ON_ERROR_STOP on
BEGIN;
SELECT set_config('consentcast.tenant_id', :'tenant', true);
SELECT relname, relpages, relallvisible FROM pg_class WHERE relname IN ('consent_events', 'subscribers');
EXPLAIN (ANALYZE, BUFFERS, TIMING OFF)
SELECT e.id::uuid AS id, e.tenant_id::text AS tenant_id, e.subscriber_id::uuid AS subscriber_id, e.seq::int8 AS seq, e.list_id::uuid AS list_id, e.type::text AS type, e.occurred_at::timestamptz AS occurred_at, e.source::text AS source, e.source_detail::text AS source_detail, e.consent_text_id::uuid AS consent_text_id, e.consent_text_sha256::text AS consent_text_sha256, e.evidence_digest::text AS evidence_digest, e.wa_message_id::text AS wa_message_id, e.wa_timestamp::timestamptz AS wa_timestamp, e.actor_user_id::uuid AS actor_user_id, e.reason::text AS reason, e.prev_hash::text AS prev_hash, e.hash::text AS hash, s.public_id::text AS subscriber_public_id, s.phone::text AS subscriber_phone, s.phone_hmac::text AS subscriber_phone_hmac, t.version::int4 AS consent_text_version, t.language::text AS consent_text_language, v.salt::text AS evidence_salt, v.ip::text AS ip, v.user_agent::text AS user_agent
FROM ((SELECT id, tenant_id, subscriber_id, seq, list_id, type, occurred_at, source, source_detail, consent_text_id, consent_text_sha256, evidence_digest, wa_message_id, wa_timestamp, actor_user_id, reason, prev_hash, hash FROM consent_events WHERE octet_length(COALESCE(source_detail, '')) + octet_length(COALESCE(wa_message_id, '')) + octet_length(COALESCE(reason, '')) <= 2000 ORDER BY subscriber_id, seq) UNION ALL (SELECT id, tenant_id, subscriber_id, seq, list_id, type, occurred_at, source, source_detail, consent_text_id, consent_text_sha256, evidence_digest, wa_message_id, wa_timestamp, actor_user_id, reason, prev_hash, hash FROM consent_events WHERE NOT (octet_length(COALESCE(source_detail, '')) + octet_length(COALESCE(wa_message_id, '')) + octet_length(COALESCE(reason, '')) <= 2000) ORDER BY subscriber_id, seq)) e
JOIN subscribers s ON s.id = e.subscriber_id
LEFT JOIN consent_evidence v ON v.event_id = e.id
LEFT JOIN consent_texts t ON t.id = e.consent_text_id
WHERE e.tenant_id = :'tenant'
ORDER BY e.subscriber_id, e.seq;
ROLLBACK;
