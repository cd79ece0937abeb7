-- Per-workspace settings of the public pages and the inbound keywords.
CREATE TABLE optin_settings (
    id            uuid         PRIMARY KEY,
    tenant_id     varchar(36)  NOT NULL UNIQUE REFERENCES tenants (id),
    stop_words    varchar(500) NOT NULL,
    accent_color  varchar(7)   NOT NULL,
    logo          bytea,
    logo_type     varchar(20),
    updated_at    timestamp with time zone NOT NULL
);
