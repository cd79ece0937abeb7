-- Inbound at crowd speed (issue 14): plans that hold while a burst is still unknown to the statistics.
--
-- The reply outbox's claim takes the oldest open reply of each recipient: its NOT EXISTS looks for an earlier open
-- reply of the same recipient. Planned from statistics of a table that was small a minute ago, PostgreSQL walked
-- every open reply by sequence for each candidate (15,000 to 100,000 buffer hits a claim in the inbound benchmark):
-- with an index led by the recipient, of the open replies only, the check is one index probe whatever the statistics.
CREATE INDEX whatsapp_outbox_open_recipient ON whatsapp_outbox (tenant_id, recipient, seq)
    WHERE state IN ('PENDING', 'SENDING');

-- The queue tables grow by thousands of rows a minute in a burst: analyse them after 2% new rows (the default 10%
-- leaves their plans on old statistics for minutes), vacuum after 5% dead rows (claims and state changes update them).
ALTER TABLE whatsapp_webhook_inbox SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_scale_factor = 0.05);
ALTER TABLE whatsapp_outbox SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_scale_factor = 0.05);
ALTER TABLE whatsapp_inbound_messages SET (autovacuum_analyze_scale_factor = 0.02);
