-- PostgreSQL only: grants and row-level security for whatsapp_numbers (V9_30).
GRANT SELECT, INSERT, UPDATE, DELETE ON whatsapp_numbers TO ${app_role};
ALTER TABLE whatsapp_numbers ENABLE ROW LEVEL SECURITY;
ALTER TABLE whatsapp_numbers FORCE ROW LEVEL SECURITY;
CREATE POLICY whatsapp_numbers_tenant ON whatsapp_numbers
    USING (tenant_id = consentcast_current_tenant()) WITH CHECK (tenant_id = consentcast_current_tenant());
