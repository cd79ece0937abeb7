-- PostgreSQL only: grants and row-level security for whatsapp_media (V9_45).
GRANT SELECT, INSERT, UPDATE, DELETE ON whatsapp_media TO ${app_role};
ALTER TABLE whatsapp_media ENABLE ROW LEVEL SECURITY;
ALTER TABLE whatsapp_media FORCE ROW LEVEL SECURITY;
CREATE POLICY whatsapp_media_tenant ON whatsapp_media
    USING (tenant_id = consentcast_current_tenant()) WITH CHECK (tenant_id = consentcast_current_tenant());
