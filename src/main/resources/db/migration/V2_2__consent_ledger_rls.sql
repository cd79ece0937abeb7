-- PostgreSQL only: row-level security, grants and append-only enforcement for the consent
-- ledger and the activity log. The application role may insert and read ledger rows but
-- never update or delete them; a trigger refuses UPDATE, DELETE and TRUNCATE for every role
-- (a superuser must disable the trigger explicitly, which verify then detects).

CREATE FUNCTION consentcast_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION '% on % is not allowed: the table is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER consent_events_append_only BEFORE UPDATE OR DELETE ON consent_events
    FOR EACH ROW EXECUTE FUNCTION consentcast_refuse_change();
CREATE TRIGGER consent_events_no_truncate BEFORE TRUNCATE ON consent_events
    FOR EACH STATEMENT EXECUTE FUNCTION consentcast_refuse_change();
CREATE TRIGGER consent_texts_append_only BEFORE UPDATE OR DELETE ON consent_texts
    FOR EACH ROW EXECUTE FUNCTION consentcast_refuse_change();
CREATE TRIGGER consent_texts_no_truncate BEFORE TRUNCATE ON consent_texts
    FOR EACH STATEMENT EXECUTE FUNCTION consentcast_refuse_change();
CREATE TRIGGER activity_log_append_only BEFORE UPDATE OR DELETE ON activity_log
    FOR EACH ROW EXECUTE FUNCTION consentcast_refuse_change();
CREATE TRIGGER activity_log_no_truncate BEFORE TRUNCATE ON activity_log
    FOR EACH STATEMENT EXECUTE FUNCTION consentcast_refuse_change();

-- NULL list ids are distinct in a plain UNIQUE constraint: also one "all lists" row / version.
CREATE UNIQUE INDEX consent_states_all_lists ON consent_states (tenant_id, subscriber_id) WHERE list_id IS NULL;
CREATE UNIQUE INDEX consent_texts_default_version ON consent_texts (tenant_id, version) WHERE list_id IS NULL;

GRANT SELECT, INSERT, UPDATE ON subscribers TO ${app_role};
GRANT SELECT, INSERT ON consent_texts TO ${app_role};
GRANT SELECT, INSERT ON consent_events TO ${app_role};
GRANT SELECT, INSERT, DELETE ON consent_evidence TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON consent_states TO ${app_role};
GRANT SELECT, INSERT ON activity_log TO ${app_role};

ALTER TABLE subscribers ENABLE ROW LEVEL SECURITY;
ALTER TABLE subscribers FORCE ROW LEVEL SECURITY;
CREATE POLICY subscribers_tenant ON subscribers
    USING (tenant_id = consentcast_current_tenant())
    WITH CHECK (tenant_id = consentcast_current_tenant());

ALTER TABLE consent_texts ENABLE ROW LEVEL SECURITY;
ALTER TABLE consent_texts FORCE ROW LEVEL SECURITY;
CREATE POLICY consent_texts_tenant ON consent_texts
    USING (tenant_id = consentcast_current_tenant())
    WITH CHECK (tenant_id = consentcast_current_tenant());

ALTER TABLE consent_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE consent_events FORCE ROW LEVEL SECURITY;
CREATE POLICY consent_events_tenant ON consent_events
    USING (tenant_id = consentcast_current_tenant())
    WITH CHECK (tenant_id = consentcast_current_tenant());

ALTER TABLE consent_evidence ENABLE ROW LEVEL SECURITY;
ALTER TABLE consent_evidence FORCE ROW LEVEL SECURITY;
CREATE POLICY consent_evidence_tenant ON consent_evidence
    USING (tenant_id = consentcast_current_tenant())
    WITH CHECK (tenant_id = consentcast_current_tenant());

ALTER TABLE consent_states ENABLE ROW LEVEL SECURITY;
ALTER TABLE consent_states FORCE ROW LEVEL SECURITY;
CREATE POLICY consent_states_tenant ON consent_states
    USING (tenant_id = consentcast_current_tenant())
    WITH CHECK (tenant_id = consentcast_current_tenant());

ALTER TABLE activity_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE activity_log FORCE ROW LEVEL SECURITY;
CREATE POLICY activity_log_tenant ON activity_log
    USING (tenant_id = consentcast_current_tenant())
    WITH CHECK (tenant_id = consentcast_current_tenant());
