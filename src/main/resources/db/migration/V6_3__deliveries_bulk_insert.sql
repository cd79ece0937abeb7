-- Starting an issue writes a delivery row per list member in one INSERT ... SELECT (1,000,000 rows for the
-- largest lists, most of them EXCLUDED at once); what each row costs besides its heap tuple (docs/PERFORMANCE.md,
-- consent gate) is trimmed here. PostgreSQL only (partial indexes).

-- The engine's index serves only open rows (claims: PENDING; releases and the crash rule: CLAIMED, SENDING);
-- rows that are decided (EXCLUDED, SENT, FAILED) no longer get an entry, nor leave one behind for every update.
-- Reads of decided rows (counts and lists on the issue page) go by issue through issue_deliveries_once.
DROP INDEX issue_deliveries_work;
CREATE INDEX issue_deliveries_work ON issue_deliveries (issue_id, state, next_attempt_at)
    WHERE state IN ('PENDING', 'CLAIMED', 'SENDING');

-- The foreign keys each fired a per-row check (a SELECT ... FOR KEY SHARE of the parent) on every inserted row:
-- 40% of the insert's time. Delivery rows are only written by that one INSERT, from the issue row it has just
-- locked, in the issue's workspace (row-level security checks tenant_id on every write), and issues are never
-- deleted; the constraints guarded nothing the write path does not already ensure.
ALTER TABLE issue_deliveries DROP CONSTRAINT issue_deliveries_tenant_id_fkey;
ALTER TABLE issue_deliveries DROP CONSTRAINT issue_deliveries_issue_id_fkey;
