-- Issue 18, export: the export's query (LedgerReader: the workspace's events in the order subscriber_id, seq) as an
-- index-only scan in that order, so that PostgreSQL streams the rows without sorting and without visiting one heap
-- page per event (docs/PERFORMANCE.md, section 3; the EXPLAIN in bench/results/*export-explain*).
--
-- consent_events_export holds the key of consent_events_tenant_subscriber (tenant_id, subscriber_id, seq) and every
-- other column of the event, so the index alone answers the export. A B-tree entry may not exceed 2,704 bytes; the
-- fixed-size columns take about 600 at most, and the three free-text columns (source_detail, wa_message_id, reason)
-- are not bounded by the schema. So the index holds the events whose free text is at most 2,000 bytes together
-- (the events the application writes itself carry a page URL, a file name and row, a keyword: short), and the small
-- consent_events_export_long the others, in the same key: the export reads both, merged in key order
-- (LedgerReader.EVENTS: a UNION ALL of two ordered parts, merged by a Merge Append); the predicate's text must
-- stay the same in both places.
-- The two replace consent_events_tenant_subscriber: an append still adds one entry to one of them, as it did to the
-- index they replace (subscriber lookups use consent_events_chain (subscriber_id, seq)).
-- Built inside the migration's transaction, which blocks appends while it runs (measured in docs/PERFORMANCE.md,
-- section 3). On a large ledger an operator builds both beforehand with CREATE INDEX CONCURRENTLY and these exact
-- definitions; IF NOT EXISTS then skips them here.
CREATE INDEX IF NOT EXISTS consent_events_export ON consent_events (tenant_id, subscriber_id, seq)
    INCLUDE (id, list_id, type, occurred_at, source, source_detail, consent_text_id, consent_text_sha256,
             evidence_digest, wa_message_id, wa_timestamp, actor_user_id, reason, prev_hash, hash)
    WHERE octet_length(COALESCE(source_detail, '')) + octet_length(COALESCE(wa_message_id, ''))
          + octet_length(COALESCE(reason, '')) <= 2000;
CREATE INDEX IF NOT EXISTS consent_events_export_long ON consent_events (tenant_id, subscriber_id, seq)
    WHERE octet_length(COALESCE(source_detail, '')) + octet_length(COALESCE(wa_message_id, ''))
          + octet_length(COALESCE(reason, '')) > 2000;
DROP INDEX IF EXISTS consent_events_tenant_subscriber;
-- Statistics of the free text's length, so that the planner knows that nearly every event is in the covering index
-- (without them it guesses a third for an inequality on an expression, and estimated the long part as expensive).
CREATE STATISTICS IF NOT EXISTS consent_events_free_text
    ON (octet_length(COALESCE(source_detail, '')) + octet_length(COALESCE(wa_message_id, ''))
        + octet_length(COALESCE(reason, ''))) FROM consent_events;

-- An index-only scan reads the heap page of every row whose page is not marked all-visible in the visibility map;
-- only VACUUM marks pages. The ledger is insert-only, so autovacuum runs on it only for inserts, by default after
-- 20% of the table has been added (2,000,000 events of a 10,000,000-event ledger read from the heap again). Here:
-- after 1% plus 10,000 events. Such a vacuum reads only the pages added since the last (the others are all-visible)
-- and removes nothing from the indexes.
ALTER TABLE consent_events SET (autovacuum_vacuum_insert_scale_factor = 0.01,
                                autovacuum_vacuum_insert_threshold = 10000);
