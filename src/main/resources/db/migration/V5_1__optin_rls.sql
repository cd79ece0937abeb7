GRANT SELECT, INSERT, UPDATE ON optin_requests TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON optin_help_replies TO ${app_role};
ALTER TABLE optin_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE optin_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY optin_requests_tenant ON optin_requests
    USING (tenant_id = consentcast_current_tenant())
    WITH CHECK (tenant_id = consentcast_current_tenant());
ALTER TABLE optin_help_replies ENABLE ROW LEVEL SECURITY;
ALTER TABLE optin_help_replies FORCE ROW LEVEL SECURITY;
CREATE POLICY optin_help_replies_tenant ON optin_help_replies
    USING (tenant_id = consentcast_current_tenant())
    WITH CHECK (tenant_id = consentcast_current_tenant());
