-- The retention job deletes inbound webhook deliveries past their retention period (issue 13).
-- CONCURRENTLY, so that deliveries keep being recorded while it builds.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "InboundWebhookDelivery_receivedAt_idx" ON "InboundWebhookDelivery"("receivedAt");
