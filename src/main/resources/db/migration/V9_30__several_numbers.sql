-- Several sending numbers per workspace (issue 17).
--
-- whatsapp_numbers: every Cloud API number a workspace connected (each proven with Meta like the first one),
-- tenant-owned. The workspace's default number stays in whatsapp_channel_settings (phone_number_id and its
-- account and display number); it is one of these rows. The route table keeps deciding ownership: one row per
-- number, several per workspace now.
CREATE TABLE whatsapp_numbers (
    id                   uuid         PRIMARY KEY,
    tenant_id            varchar(36)  NOT NULL REFERENCES tenants (id),
    phone_number_id      varchar(64)  NOT NULL,
    business_account_id  varchar(64)  NOT NULL,
    display_phone_number varchar(64),
    created_at           timestamp with time zone NOT NULL,
    CONSTRAINT whatsapp_numbers_number UNIQUE (phone_number_id)
);
CREATE INDEX whatsapp_numbers_tenant ON whatsapp_numbers (tenant_id);

INSERT INTO whatsapp_numbers (id, tenant_id, phone_number_id, business_account_id, display_phone_number, created_at)
SELECT s.id, s.tenant_id, s.phone_number_id, s.business_account_id, s.display_phone_number, s.updated_at
  FROM whatsapp_channel_settings s
 WHERE s.channel_type = 'cloud-api' AND s.phone_number_id IS NOT NULL AND s.business_account_id IS NOT NULL;

ALTER TABLE whatsapp_phone_routes DROP CONSTRAINT whatsapp_phone_routes_tenant;
CREATE INDEX whatsapp_phone_routes_tenant ON whatsapp_phone_routes (tenant_id);

-- The number a reader wrote to, and the number a reply leaves from (null: the workspace's default).
ALTER TABLE whatsapp_inbound_messages ADD COLUMN phone_number_id varchar(64);
ALTER TABLE whatsapp_outbox ADD COLUMN phone_number_id varchar(64);

-- The list's sending number (Meta's phone number id; null: the workspace's default). Owned by lists; checked
-- against the workspace's numbers through whatsapp.ChannelNumbers when it is set.
ALTER TABLE lists ADD COLUMN sending_phone_number_id varchar(64);
