-- PostgreSQL only: grants and row-level security for the WhatsApp channel tables.
GRANT SELECT, INSERT, UPDATE, DELETE ON whatsapp_channel_settings, whatsapp_templates, whatsapp_messages,
    whatsapp_inbound_messages, whatsapp_event_keys, whatsapp_sandbox_messages TO ${app_role};
-- Platform tables: the webhook inbox and the phone-number routing (no tenant, no RLS).
GRANT SELECT, INSERT, UPDATE, DELETE ON whatsapp_webhook_inbox, whatsapp_phone_routes TO ${app_role};

ALTER TABLE whatsapp_channel_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE whatsapp_channel_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY whatsapp_channel_settings_tenant ON whatsapp_channel_settings
    USING (tenant_id = consentcast_current_tenant()) WITH CHECK (tenant_id = consentcast_current_tenant());

ALTER TABLE whatsapp_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE whatsapp_templates FORCE ROW LEVEL SECURITY;
CREATE POLICY whatsapp_templates_tenant ON whatsapp_templates
    USING (tenant_id = consentcast_current_tenant()) WITH CHECK (tenant_id = consentcast_current_tenant());

ALTER TABLE whatsapp_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE whatsapp_messages FORCE ROW LEVEL SECURITY;
CREATE POLICY whatsapp_messages_tenant ON whatsapp_messages
    USING (tenant_id = consentcast_current_tenant()) WITH CHECK (tenant_id = consentcast_current_tenant());

ALTER TABLE whatsapp_inbound_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE whatsapp_inbound_messages FORCE ROW LEVEL SECURITY;
CREATE POLICY whatsapp_inbound_messages_tenant ON whatsapp_inbound_messages
    USING (tenant_id = consentcast_current_tenant()) WITH CHECK (tenant_id = consentcast_current_tenant());

ALTER TABLE whatsapp_event_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE whatsapp_event_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY whatsapp_event_keys_tenant ON whatsapp_event_keys
    USING (tenant_id = consentcast_current_tenant()) WITH CHECK (tenant_id = consentcast_current_tenant());

ALTER TABLE whatsapp_sandbox_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE whatsapp_sandbox_messages FORCE ROW LEVEL SECURITY;
CREATE POLICY whatsapp_sandbox_messages_tenant ON whatsapp_sandbox_messages
    USING (tenant_id = consentcast_current_tenant()) WITH CHECK (tenant_id = consentcast_current_tenant());
