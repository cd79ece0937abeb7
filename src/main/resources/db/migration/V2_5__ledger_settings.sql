-- Per-workspace settings of the consent ledger. No row: the defaults (record IP address and
-- user agent in full, keep evidence of withdrawn consents for 36 months).
CREATE TABLE ledger_settings (
    id                  uuid         PRIMARY KEY,
    tenant_id           varchar(36)  NOT NULL UNIQUE REFERENCES tenants (id),
    record_client_data  boolean      NOT NULL,
    truncate_ip         boolean      NOT NULL,
    retention_months    integer      NOT NULL,
    updated_at          timestamp with time zone NOT NULL,
    updated_by          uuid,
    CONSTRAINT ledger_settings_retention CHECK (retention_months BETWEEN 1 AND 120)
);
