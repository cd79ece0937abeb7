-- PostgreSQL only: grants and row-level security for the tables of V8_80.
GRANT SELECT, INSERT, UPDATE, DELETE ON whatsapp_portfolio_limits, whatsapp_portfolio_sends TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON whatsapp_number_quality, whatsapp_quality_events TO ${app_role};

ALTER TABLE whatsapp_number_quality ENABLE ROW LEVEL SECURITY;
ALTER TABLE whatsapp_number_quality FORCE ROW LEVEL SECURITY;
CREATE POLICY whatsapp_number_quality_tenant ON whatsapp_number_quality
    USING (tenant_id = consentcast_current_tenant()) WITH CHECK (tenant_id = consentcast_current_tenant());

ALTER TABLE whatsapp_quality_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE whatsapp_quality_events FORCE ROW LEVEL SECURITY;
CREATE POLICY whatsapp_quality_events_tenant ON whatsapp_quality_events
    USING (tenant_id = consentcast_current_tenant()) WITH CHECK (tenant_id = consentcast_current_tenant());
