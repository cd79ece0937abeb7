-- PostgreSQL only: the outbox is a platform table like the inbox (no RLS: the sender claims across
-- workspaces); partial indexes for the claims of both (H2 keeps the full indexes).
GRANT SELECT, INSERT, UPDATE, DELETE ON whatsapp_outbox TO ${app_role};

-- Claiming inbox rows walks the pending rows in arrival order and stops after a batch of senders' oldest
-- rows. The index on (status, next_attempt_at) of V3_0 made the planner read and sort every pending row
-- instead (357 ms per claim at a backlog of 24,000 rows, quadratic in the backlog): it goes.
DROP INDEX whatsapp_inbox_pending;
CREATE INDEX whatsapp_inbox_pending_seq ON whatsapp_webhook_inbox (seq) WHERE status = 'PENDING';
CREATE INDEX whatsapp_inbox_pending_key ON whatsapp_webhook_inbox (order_key, seq)
    WHERE status = 'PENDING' AND order_key IS NOT NULL;
CREATE INDEX whatsapp_inbox_finished ON whatsapp_webhook_inbox (processed_at) WHERE status IN ('DONE', 'PARKED');

CREATE INDEX whatsapp_outbox_open ON whatsapp_outbox (seq) WHERE state IN ('PENDING', 'SENDING');
CREATE INDEX whatsapp_outbox_finished ON whatsapp_outbox (finished_at) WHERE state IN ('SENT', 'FAILED', 'EXPIRED', 'UNKNOWN');
