-- Consent ledger: subscribers, versioned consent texts, the append-only consent event
-- ledger (hash-chained per subscriber), evidence that can be purged, and the derived
-- consent state. See docs/LEDGER.md for the hash algorithm.

-- One WhatsApp number per workspace. The phone (E.164) is the only place the number is
-- stored; erasure sets it to NULL and keeps phone_hmac (HMAC-SHA256 with the workspace key).
-- last_seq/last_hash are the head of the subscriber's event chain; appends lock this row.
CREATE TABLE subscribers (
    id          uuid         PRIMARY KEY,
    tenant_id   varchar(36)  NOT NULL REFERENCES tenants (id),
    public_id   varchar(32)  NOT NULL UNIQUE,
    phone       varchar(20),
    phone_hmac  varchar(64)  NOT NULL,
    wa_id       varchar(32),
    created_at  timestamp with time zone NOT NULL,
    erased_at   timestamp with time zone,
    last_seq    bigint       NOT NULL,
    last_hash   varchar(64)  NOT NULL,
    CONSTRAINT subscribers_tenant_phone UNIQUE (tenant_id, phone),
    CONSTRAINT subscribers_tenant_phone_hmac UNIQUE (tenant_id, phone_hmac)
);

-- Consent wording per list (list_id NULL: the workspace default). Immutable versions.
CREATE TABLE consent_texts (
    id          uuid         PRIMARY KEY,
    tenant_id   varchar(36)  NOT NULL REFERENCES tenants (id),
    list_id     uuid,
    version     integer      NOT NULL,
    language    varchar(8)   NOT NULL,
    text        varchar      NOT NULL,
    sha256      varchar(64)  NOT NULL,
    created_by  uuid,
    created_at  timestamp with time zone NOT NULL,
    CONSTRAINT consent_texts_version UNIQUE (tenant_id, list_id, version)
);

-- The ledger. Rows are only ever inserted. list_id NULL means "all lists".
CREATE TABLE consent_events (
    id                  uuid         PRIMARY KEY,
    tenant_id           varchar(36)  NOT NULL REFERENCES tenants (id),
    subscriber_id       uuid         NOT NULL REFERENCES subscribers (id),
    seq                 bigint       NOT NULL,
    list_id             uuid,
    type                varchar(32)  NOT NULL,
    occurred_at         timestamp with time zone NOT NULL,
    source              varchar(16)  NOT NULL,
    source_detail       varchar,
    consent_text_id     uuid         REFERENCES consent_texts (id),
    consent_text_sha256 varchar(64),
    evidence_digest     varchar(64),
    wa_message_id       varchar,
    wa_timestamp        timestamp with time zone,
    actor_user_id       uuid,
    reason              varchar,
    prev_hash           varchar(64)  NOT NULL,
    hash                varchar(64)  NOT NULL,
    CONSTRAINT consent_events_chain UNIQUE (subscriber_id, seq),
    CONSTRAINT consent_events_type CHECK (type IN ('REQUESTED', 'CONFIRMED', 'WITHDRAWN', 'EXPIRED', 'IMPORTED',
        'REPERMISSION_REQUESTED', 'SUPPRESSED', 'UNSUPPRESSED', 'ERASED')),
    CONSTRAINT consent_events_source CHECK (source IN ('LANDING_PAGE', 'WHATSAPP', 'API', 'ADMIN', 'IMPORT', 'SYSTEM'))
);
CREATE INDEX consent_events_tenant_time ON consent_events (tenant_id, occurred_at);
CREATE INDEX consent_events_tenant_subscriber ON consent_events (tenant_id, subscriber_id, seq);

-- Personal evidence of an event (IP address, user agent), kept apart from the hashed event so
-- that erasure and retention can delete it; the event's evidence_digest commits to it.
CREATE TABLE consent_evidence (
    event_id    uuid         PRIMARY KEY REFERENCES consent_events (id),
    tenant_id   varchar(36)  NOT NULL REFERENCES tenants (id),
    subscriber_id uuid       NOT NULL REFERENCES subscribers (id),
    salt        varchar(32)  NOT NULL,
    ip          varchar(45),
    user_agent  varchar
);
CREATE INDEX consent_evidence_subscriber ON consent_evidence (subscriber_id);

-- The current consent state per subscriber and list (list_id NULL: the "all lists" row),
-- a projection of consent_events maintained in the same transaction as each append.
CREATE TABLE consent_states (
    id              uuid         PRIMARY KEY,
    tenant_id       varchar(36)  NOT NULL REFERENCES tenants (id),
    subscriber_id   uuid         NOT NULL REFERENCES subscribers (id),
    list_id         uuid,
    state           varchar(16)  NOT NULL,
    consent_state   varchar(16),
    suppressed      boolean      NOT NULL,
    since           timestamp with time zone NOT NULL,
    last_event_id   uuid         NOT NULL REFERENCES consent_events (id),
    CONSTRAINT consent_states_key UNIQUE (tenant_id, subscriber_id, list_id),
    CONSTRAINT consent_states_state CHECK (state IN ('PENDING', 'CONFIRMED', 'WITHDRAWN', 'EXPIRED', 'IMPORTED', 'SUPPRESSED'))
);
CREATE INDEX consent_states_subscriber ON consent_states (subscriber_id);
