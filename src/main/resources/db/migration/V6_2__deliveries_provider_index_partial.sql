-- Status webhooks find a delivery by its provider message id (DeliveryTracking), which only sent rows have.
-- Materialising a large audience writes one row per list member, most of them EXCLUDED without an id
-- (docs/PERFORMANCE.md, consent gate): they no longer pay for an entry in this index. PostgreSQL only
-- (H2, used in development, has no partial indexes and keeps the full index of V6_0).
DROP INDEX issue_deliveries_provider;
CREATE INDEX issue_deliveries_provider ON issue_deliveries (tenant_id, provider_message_id)
    WHERE provider_message_id IS NOT NULL;
