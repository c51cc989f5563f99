-- The model WebhookDelivery is renamed InboundWebhookDelivery (outbound webhooks take the plain
-- name later). Renamed in place, rows kept: Prisma's own diff would drop and recreate the table.

-- RenameTable
ALTER TABLE "WebhookDelivery" RENAME TO "InboundWebhookDelivery";

-- RenamePrimaryKey
ALTER TABLE "InboundWebhookDelivery" RENAME CONSTRAINT "WebhookDelivery_pkey" TO "InboundWebhookDelivery_pkey";

-- RenameIndex
ALTER INDEX "WebhookDelivery_shopDomain_idx" RENAME TO "InboundWebhookDelivery_shopDomain_idx";
