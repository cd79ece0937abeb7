-- PostgreSQL only: grants and row-level security for the dispatch tables.
GRANT SELECT, INSERT, UPDATE ON newsletter_issues, issue_deliveries, dispatch_settings TO ${app_role};
GRANT USAGE, SELECT ON SEQUENCE issue_deliveries_id_seq TO ${app_role};
-- Platform table (no tenant, no RLS): the job queue instances claim from.
GRANT SELECT, INSERT, UPDATE, DELETE ON dispatch_jobs TO ${app_role};

ALTER TABLE newsletter_issues ENABLE ROW LEVEL SECURITY;
ALTER TABLE newsletter_issues FORCE ROW LEVEL SECURITY;
CREATE POLICY newsletter_issues_tenant ON newsletter_issues
    USING (tenant_id = consentcast_current_tenant()) WITH CHECK (tenant_id = consentcast_current_tenant());

ALTER TABLE issue_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE issue_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY issue_deliveries_tenant ON issue_deliveries
    USING (tenant_id = consentcast_current_tenant()) WITH CHECK (tenant_id = consentcast_current_tenant());

ALTER TABLE dispatch_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE dispatch_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY dispatch_settings_tenant ON dispatch_settings
    USING (tenant_id = consentcast_current_tenant()) WITH CHECK (tenant_id = consentcast_current_tenant());
