GRANT SELECT, INSERT, UPDATE ON lists TO ${app_role};
ALTER TABLE lists ENABLE ROW LEVEL SECURITY;
ALTER TABLE lists FORCE ROW LEVEL SECURITY;
CREATE POLICY lists_tenant ON lists
    USING (tenant_id = consentcast_current_tenant())
    WITH CHECK (tenant_id = consentcast_current_tenant());
