-- Admin activity log: who did what in a workspace. Append-only.
CREATE TABLE activity_log (
    id              uuid         PRIMARY KEY,
    tenant_id       varchar(36)  NOT NULL REFERENCES tenants (id),
    occurred_at     timestamp with time zone NOT NULL,
    actor_user_id   uuid,
    action          varchar(64)  NOT NULL,
    detail          varchar
);
CREATE INDEX activity_log_tenant_time ON activity_log (tenant_id, occurred_at);
