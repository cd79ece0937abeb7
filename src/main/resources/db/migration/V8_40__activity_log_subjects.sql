-- The activity log gets typed entries: what the action was about (subject type and id, kept so that a
-- renamed list or issue still names the right thing) and typed details as JSON. Older entries keep
-- their free-text detail. Indexes for the log's filters (member, kind) and its newest-first paging.
ALTER TABLE activity_log
    ADD COLUMN subject_type varchar(24),
    ADD COLUMN subject_id   varchar(80),
    ADD COLUMN details      jsonb;
CREATE INDEX activity_log_tenant_id ON activity_log (tenant_id, id);
CREATE INDEX activity_log_tenant_actor ON activity_log (tenant_id, actor_user_id, id);
CREATE INDEX activity_log_tenant_action ON activity_log (tenant_id, action, id);
