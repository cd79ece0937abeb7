-- Periodic, chained checkpoints per workspace. Each checkpoint records the chain heads of the
-- subscribers whose head changed since they were last recorded, and a hash over its heads and
-- the previous checkpoint's hash. See docs/LEDGER.md.
CREATE TABLE ledger_checkpoints (
    id              uuid         PRIMARY KEY,
    tenant_id       varchar(36)  NOT NULL REFERENCES tenants (id),
    seq             bigint       NOT NULL,
    created_at      timestamp with time zone NOT NULL,
    heads           bigint       NOT NULL,
    heads_digest    varchar(64)  NOT NULL,
    prev_hash       varchar(64)  NOT NULL,
    hash            varchar(64)  NOT NULL,
    CONSTRAINT ledger_checkpoints_chain UNIQUE (tenant_id, seq)
);

-- The heads a checkpoint recorded: (subscriber, seq, hash) of the subscriber's last event then.
CREATE TABLE ledger_checkpoint_heads (
    checkpoint_id   uuid         NOT NULL,
    tenant_id       varchar(36)  NOT NULL REFERENCES tenants (id),
    subscriber_id   uuid         NOT NULL REFERENCES subscribers (id),
    seq             bigint       NOT NULL,
    hash            varchar(64)  NOT NULL,
    CONSTRAINT ledger_checkpoint_heads_key PRIMARY KEY (checkpoint_id, subscriber_id)
);
CREATE INDEX ledger_checkpoint_heads_subscriber ON ledger_checkpoint_heads (subscriber_id, seq);
