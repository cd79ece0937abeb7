-- PostgreSQL only: checkpoints are append-only like the ledger.
CREATE TRIGGER ledger_checkpoints_append_only BEFORE UPDATE OR DELETE ON ledger_checkpoints
    FOR EACH ROW EXECUTE FUNCTION consentcast_refuse_change();
CREATE TRIGGER ledger_checkpoints_no_truncate BEFORE TRUNCATE ON ledger_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION consentcast_refuse_change();
CREATE TRIGGER ledger_checkpoint_heads_append_only BEFORE UPDATE OR DELETE ON ledger_checkpoint_heads
    FOR EACH ROW EXECUTE FUNCTION consentcast_refuse_change();
CREATE TRIGGER ledger_checkpoint_heads_no_truncate BEFORE TRUNCATE ON ledger_checkpoint_heads
    FOR EACH STATEMENT EXECUTE FUNCTION consentcast_refuse_change();

GRANT SELECT, INSERT ON ledger_checkpoints, ledger_checkpoint_heads TO ${app_role};

ALTER TABLE ledger_checkpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE ledger_checkpoints FORCE ROW LEVEL SECURITY;
CREATE POLICY ledger_checkpoints_tenant ON ledger_checkpoints
    USING (tenant_id = consentcast_current_tenant())
    WITH CHECK (tenant_id = consentcast_current_tenant());

ALTER TABLE ledger_checkpoint_heads ENABLE ROW LEVEL SECURITY;
ALTER TABLE ledger_checkpoint_heads FORCE ROW LEVEL SECURITY;
CREATE POLICY ledger_checkpoint_heads_tenant ON ledger_checkpoint_heads
    USING (tenant_id = consentcast_current_tenant())
    WITH CHECK (tenant_id = consentcast_current_tenant());
