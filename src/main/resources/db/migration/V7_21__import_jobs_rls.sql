-- PostgreSQL only: grants and row-level security for the import tables (V7_20).
GRANT SELECT, INSERT, UPDATE ON import_jobs TO ${app_role};
GRANT SELECT, INSERT, DELETE ON import_rows TO ${app_role};
GRANT SELECT, INSERT ON import_rejections TO ${app_role};
-- Platform table (no tenant, no RLS): the queue instances claim from.
GRANT SELECT, INSERT, UPDATE, DELETE ON import_queue TO ${app_role};

ALTER TABLE import_jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY import_jobs_tenant ON import_jobs
    USING (tenant_id = consentcast_current_tenant()) WITH CHECK (tenant_id = consentcast_current_tenant());

ALTER TABLE import_rows ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_rows FORCE ROW LEVEL SECURITY;
CREATE POLICY import_rows_tenant ON import_rows
    USING (tenant_id = consentcast_current_tenant()) WITH CHECK (tenant_id = consentcast_current_tenant());

ALTER TABLE import_rejections ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_rejections FORCE ROW LEVEL SECURITY;
CREATE POLICY import_rejections_tenant ON import_rejections
    USING (tenant_id = consentcast_current_tenant()) WITH CHECK (tenant_id = consentcast_current_tenant());
