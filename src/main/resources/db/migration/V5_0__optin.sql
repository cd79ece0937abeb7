-- Opt-in requests: a subscriber asked to join a list (landing page or "START keyword") and has
-- not confirmed yet. The ledger holds the facts (REQUESTED, CONFIRMED); this table holds the
-- short single-use code and the 48-hour window that link them.
CREATE TABLE optin_requests (
    id                 uuid         PRIMARY KEY,
    tenant_id          varchar(36)  NOT NULL REFERENCES tenants (id),
    subscriber_id      uuid         NOT NULL,
    list_id            uuid         NOT NULL REFERENCES lists (id),
    via                varchar(16)  NOT NULL,
    code               varchar(12),
    consent_text_id    uuid,
    requested_event_id uuid         NOT NULL,
    start_message_id   varchar(200),
    created_at         timestamp with time zone NOT NULL,
    expires_at         timestamp with time zone NOT NULL,
    confirmed_at       timestamp with time zone,
    confirmed_event_id uuid,
    CONSTRAINT optin_requests_via CHECK (via IN ('WEB', 'WHATSAPP'))
);
CREATE UNIQUE INDEX optin_requests_code ON optin_requests (tenant_id, code);
CREATE INDEX optin_requests_subscriber ON optin_requests (tenant_id, subscriber_id, list_id);

-- When we last sent the short help reply to a number, so it goes out at most once a day.
CREATE TABLE optin_help_replies (
    id          uuid         PRIMARY KEY,
    tenant_id   varchar(36)  NOT NULL REFERENCES tenants (id),
    wa_id       varchar(32)  NOT NULL,
    sent_at     timestamp with time zone NOT NULL,
    CONSTRAINT optin_help_replies_number UNIQUE (tenant_id, wa_id)
);
