-- Tenancy: workspaces, users, memberships and invitations.
-- Platform tables (tenants, app_users) have no tenant_id; memberships and
-- invitations belong to a workspace and are row-level secured on PostgreSQL.

CREATE TABLE tenants (
    id          varchar(36)  PRIMARY KEY,
    slug        varchar(40)  NOT NULL UNIQUE,
    name        varchar(120) NOT NULL,
    locale      varchar(5)   NOT NULL,
    timezone    varchar(64)  NOT NULL,
    created_at  timestamp with time zone NOT NULL
);

CREATE TABLE app_users (
    id          uuid         PRIMARY KEY,
    subject     varchar(255) NOT NULL UNIQUE,
    email       varchar(320),
    name        varchar(200),
    locale      varchar(5),
    created_at  timestamp with time zone NOT NULL,
    last_seen_at timestamp with time zone NOT NULL
);

CREATE TABLE memberships (
    id          uuid         PRIMARY KEY,
    tenant_id   varchar(36)  NOT NULL REFERENCES tenants (id),
    user_id     uuid         NOT NULL REFERENCES app_users (id),
    role        varchar(16)  NOT NULL,
    created_at  timestamp with time zone NOT NULL,
    CONSTRAINT memberships_tenant_user UNIQUE (tenant_id, user_id),
    CONSTRAINT memberships_role CHECK (role IN ('OWNER', 'ADMIN', 'EDITOR', 'VIEWER'))
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE invitations (
    id          uuid         PRIMARY KEY,
    tenant_id   varchar(36)  NOT NULL REFERENCES tenants (id),
    email       varchar(320) NOT NULL,
    role        varchar(16)  NOT NULL,
    token_hash  varchar(64)  NOT NULL UNIQUE,
    invited_by  uuid         NOT NULL REFERENCES app_users (id),
    created_at  timestamp with time zone NOT NULL,
    expires_at  timestamp with time zone NOT NULL,
    accepted_at timestamp with time zone,
    accepted_by uuid         REFERENCES app_users (id),
    revoked_at  timestamp with time zone,
    CONSTRAINT invitations_role CHECK (role IN ('OWNER', 'ADMIN', 'EDITOR', 'VIEWER'))
);
CREATE INDEX invitations_tenant ON invitations (tenant_id);
