-- PostgreSQL only: the outbox is a platform table like the inbox (no RLS: the sender claims across
-- workspaces); partial indexes for the claims of both (H2 keeps the full indexes of V7_70).
GRANT SELECT, INSERT, UPDATE, DELETE ON whatsapp_outbox TO ${app_role};

-- Claiming inbox rows: the pending head of each sender, in arrival order.
CREATE INDEX whatsapp_inbox_pending_seq ON whatsapp_webhook_inbox (seq) WHERE status = 'PENDING';
CREATE INDEX whatsapp_inbox_pending_key ON whatsapp_webhook_inbox (order_key, seq)
    WHERE status = 'PENDING' AND order_key IS NOT NULL;
CREATE INDEX whatsapp_outbox_open ON whatsapp_outbox (seq) WHERE state IN ('PENDING', 'SENDING');
