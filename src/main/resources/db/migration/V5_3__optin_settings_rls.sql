GRANT SELECT, INSERT, UPDATE ON optin_settings TO ${app_role};
ALTER TABLE optin_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE optin_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY optin_settings_tenant ON optin_settings
    USING (tenant_id = consentcast_current_tenant())
    WITH CHECK (tenant_id = consentcast_current_tenant());
