-- Issue 18, performance round two: readers per consent state and day for the dashboard's 90-day chart, kept as a
-- derived cache so that the chart reads a few rows per day instead of replaying the ledger (docs/LEDGER.md,
-- "Readers per day"). A row is the net change, during one day of the workspace's time zone, in the number of
-- (subscriber, list) pairs of consent_states in one state; the chart is today's counts minus the changes of the
-- later days. The ledger stays append-only and consent_states the projection; this table only follows
-- consent_states (triggers in V9_56) and can be rebuilt from the ledger at any time
-- (consentcast_rebuild_consent_days(), V9_56). `slot` is the writing backend's process id (0 for rebuilt rows):
-- two transactions never update the same row, so concurrent appends neither wait for nor deadlock on each other.
CREATE TABLE consent_daily_changes (
    tenant_id varchar(36) NOT NULL REFERENCES tenants (id),
    day       date        NOT NULL,
    state     varchar(16) NOT NULL,
    slot      integer     NOT NULL,
    readers   bigint      NOT NULL,
    CONSTRAINT consent_daily_changes_key PRIMARY KEY (tenant_id, day, state, slot),
    CONSTRAINT consent_daily_changes_state CHECK (state IN ('PENDING', 'CONFIRMED', 'WITHDRAWN', 'EXPIRED',
        'IMPORTED', 'SUPPRESSED'))
);

GRANT SELECT, INSERT, UPDATE, DELETE ON consent_daily_changes TO ${app_role};
ALTER TABLE consent_daily_changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE consent_daily_changes FORCE ROW LEVEL SECURITY;
CREATE POLICY consent_daily_changes_tenant ON consent_daily_changes
    USING (tenant_id = consentcast_current_tenant()) WITH CHECK (tenant_id = consentcast_current_tenant());
