-- Lists: what readers subscribe to. The consent wording is versioned by the consent ledger
-- (consent_texts), not stored here.
CREATE TABLE lists (
    id            uuid         PRIMARY KEY,
    tenant_id     varchar(36)  NOT NULL REFERENCES tenants (id),
    slug          varchar(40)  NOT NULL,
    name          varchar(120) NOT NULL,
    description   varchar,
    language      varchar(5)   NOT NULL,
    purpose       varchar(16)  NOT NULL,
    status        varchar(16)  NOT NULL,
    keyword       varchar(20)  NOT NULL,
    imprint_url   varchar(500),
    privacy_url   varchar(500),
    created_at    timestamp with time zone NOT NULL,
    updated_at    timestamp with time zone NOT NULL,
    CONSTRAINT lists_tenant_slug UNIQUE (tenant_id, slug),
    CONSTRAINT lists_tenant_keyword UNIQUE (tenant_id, keyword),
    CONSTRAINT lists_purpose CHECK (purpose IN ('MARKETING', 'UTILITY')),
    CONSTRAINT lists_status CHECK (status IN ('OPEN', 'CLOSED'))
);
