-- WhatsApp channel: per-workspace channel settings, templates, message states,
-- inbound messages, sandbox messages and processed-event keys (tenant-owned),
-- plus the platform-wide webhook inbox and phone-number routing (no tenant_id).

CREATE TABLE whatsapp_channel_settings (
    id                   uuid         PRIMARY KEY,
    tenant_id            varchar(36)  NOT NULL REFERENCES tenants (id),
    channel_type         varchar(16)  NOT NULL,
    phone_number_id      varchar(64),
    business_account_id  varchar(64),
    display_phone_number varchar(64),
    access_token_enc     varchar,
    stopped_at           timestamp with time zone,
    stopped_reason       varchar,
    stopped_code         integer,
    updated_at           timestamp with time zone NOT NULL,
    CONSTRAINT whatsapp_channel_settings_tenant UNIQUE (tenant_id),
    CONSTRAINT whatsapp_channel_settings_type CHECK (channel_type IN ('sandbox', 'cloud-api'))
);

CREATE TABLE whatsapp_templates (
    id                   uuid         PRIMARY KEY,
    tenant_id            varchar(36)  NOT NULL REFERENCES tenants (id),
    provider_template_id varchar(64),
    name                 varchar(512) NOT NULL,
    language             varchar(16)  NOT NULL,
    category             varchar(32),
    status               varchar(32)  NOT NULL,
    components           varchar      NOT NULL,
    body_text            varchar,
    parameter_count      integer      NOT NULL,
    placeholders         varchar      NOT NULL,
    quick_replies        varchar      NOT NULL,
    status_reason        varchar,
    synced_at            timestamp with time zone NOT NULL,
    CONSTRAINT whatsapp_templates_name_lang UNIQUE (tenant_id, name, language)
);

CREATE TABLE whatsapp_messages (
    id                   uuid         PRIMARY KEY,
    tenant_id            varchar(36)  NOT NULL REFERENCES tenants (id),
    provider_message_id  varchar(255) NOT NULL,
    recipient            varchar(32),
    status               varchar(16)  NOT NULL,
    status_at            timestamp with time zone,
    error_code           integer,
    error_title          varchar,
    created_at           timestamp with time zone NOT NULL,
    updated_at           timestamp with time zone NOT NULL,
    CONSTRAINT whatsapp_messages_provider_id UNIQUE (tenant_id, provider_message_id)
);

CREATE TABLE whatsapp_inbound_messages (
    id                   uuid         PRIMARY KEY,
    tenant_id            varchar(36)  NOT NULL REFERENCES tenants (id),
    provider_message_id  varchar(255) NOT NULL,
    from_wa_id           varchar(32)  NOT NULL,
    profile_name         varchar,
    message_type         varchar(32)  NOT NULL,
    text                 varchar,
    sent_at              timestamp with time zone NOT NULL,
    received_at          timestamp with time zone NOT NULL,
    CONSTRAINT whatsapp_inbound_provider_id UNIQUE (tenant_id, provider_message_id)
);
CREATE INDEX whatsapp_inbound_from ON whatsapp_inbound_messages (tenant_id, from_wa_id, sent_at);

CREATE TABLE whatsapp_event_keys (
    id                   uuid         PRIMARY KEY,
    tenant_id            varchar(36)  NOT NULL REFERENCES tenants (id),
    event_key            varchar(512) NOT NULL,
    processed_at         timestamp with time zone NOT NULL,
    CONSTRAINT whatsapp_event_keys_key UNIQUE (tenant_id, event_key)
);

CREATE TABLE whatsapp_sandbox_messages (
    id                   uuid         PRIMARY KEY,
    tenant_id            varchar(36)  NOT NULL REFERENCES tenants (id),
    provider_message_id  varchar(255) NOT NULL,
    to_wa_id             varchar(32)  NOT NULL,
    kind                 varchar(16)  NOT NULL,
    template_name        varchar(512),
    language             varchar(16),
    rendered_text        varchar      NOT NULL,
    quick_replies        varchar      NOT NULL,
    created_at           timestamp with time zone NOT NULL
);
CREATE INDEX whatsapp_sandbox_to ON whatsapp_sandbox_messages (tenant_id, to_wa_id, created_at);

-- Platform tables.
CREATE TABLE whatsapp_webhook_inbox (
    id                   uuid         PRIMARY KEY,
    source               varchar(16)  NOT NULL,
    payload              varchar      NOT NULL,
    received_at          timestamp with time zone NOT NULL,
    status               varchar(16)  NOT NULL,
    attempts             integer      NOT NULL,
    next_attempt_at      timestamp with time zone NOT NULL,
    claimed_until        timestamp with time zone,
    processed_at         timestamp with time zone,
    last_error           varchar,
    CONSTRAINT whatsapp_inbox_status CHECK (status IN ('PENDING', 'DONE', 'FAILED')),
    CONSTRAINT whatsapp_inbox_source CHECK (source IN ('meta', 'sandbox'))
);
CREATE INDEX whatsapp_inbox_pending ON whatsapp_webhook_inbox (status, next_attempt_at);

CREATE TABLE whatsapp_phone_routes (
    phone_number_id      varchar(64)  PRIMARY KEY,
    tenant_id            varchar(36)  NOT NULL REFERENCES tenants (id),
    business_account_id  varchar(64),
    updated_at           timestamp with time zone NOT NULL,
    CONSTRAINT whatsapp_phone_routes_tenant UNIQUE (tenant_id)
);
CREATE INDEX whatsapp_phone_routes_waba ON whatsapp_phone_routes (business_account_id);
