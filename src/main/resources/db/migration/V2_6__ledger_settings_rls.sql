GRANT SELECT, INSERT, UPDATE ON ledger_settings TO ${app_role};

ALTER TABLE ledger_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE ledger_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY ledger_settings_tenant ON ledger_settings
    USING (tenant_id = consentcast_current_tenant())
    WITH CHECK (tenant_id = consentcast_current_tenant());
