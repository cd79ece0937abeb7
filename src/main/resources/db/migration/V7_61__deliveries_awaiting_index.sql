-- The engine's partial index also serves AWAITING rows (the re-check settles those whose wait has ended).
DROP INDEX issue_deliveries_work;
CREATE INDEX issue_deliveries_work ON issue_deliveries (issue_id, state, next_attempt_at)
    WHERE state IN ('PENDING', 'CLAIMED', 'SENDING', 'AWAITING');

-- Platform table (no tenant, no row-level security), like dispatch_jobs.
GRANT SELECT, INSERT, UPDATE, DELETE ON dispatch_senders TO ${app_role};
