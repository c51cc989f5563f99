// Webhook deliveries processed exactly once. The delivery is recorded and its effect applied in
// ONE transaction: a replay (same event id) finds the row and changes nothing, two simultaneous
// deliveries of one event serialize on the primary key, and a failed handler leaves no record,
// so the sender's retry is processed.
import { db } from "~/db.server";
import type { DatabaseClient } from "~/models/store.server";

export type WebhookSource = "shopify" | "clerk";

export interface WebhookDeliveryInput {
  source: WebhookSource;
  /** Shopify's X-Shopify-Event-Id (the same for every delivery of one event), Clerk's svix-id. */
  deliveryId: string;
  topic: string;
  shopDomain?: string | null;
}

export type WebhookProcessing<T> = { duplicate: true } | { duplicate: false; result: T };

export async function processWebhookOnce<T>(
  delivery: WebhookDeliveryInput,
  handle: (client: DatabaseClient) => Promise<T>,
): Promise<WebhookProcessing<T>> {
  return db.prisma.$transaction(async (tx) => {
    const inserted = await tx.$executeRaw`
      INSERT INTO "WebhookDelivery" ("source", "deliveryId", "topic", "shopDomain", "receivedAt")
      VALUES (${delivery.source}, ${delivery.deliveryId}, ${delivery.topic}, ${delivery.shopDomain ?? null}, now())
      ON CONFLICT ("source", "deliveryId") DO NOTHING`;
    if (inserted === 0) return { duplicate: true } as const;
    return { duplicate: false, result: await handle(tx) } as const;
  });
}

/** Whether a delivery was recorded (for tests and support). */
export async function findWebhookDelivery({
  source,
  deliveryId,
}: {
  source: WebhookSource;
  deliveryId: string;
}) {
  return db.prisma.webhookDelivery.findUnique({
    where: { source_deliveryId: { source, deliveryId } },
  });
}

/**
 * Records a delivery whose effects are not all in this database (Clerk's webhook also calls
 * Clerk's API). True for the first call with this id, false for a duplicate (INSERT … ON
 * CONFLICT DO NOTHING: parallel duplicates cannot both pass). Pair it with
 * forgetWebhookDelivery when processing fails, so the sender's retry is processed.
 */
export async function recordWebhookDelivery({
  source,
  deliveryId,
  topic,
  shopDomain = null,
}: WebhookDeliveryInput): Promise<boolean> {
  const { rowCount } = await db.pool.query(
    `INSERT INTO "WebhookDelivery" ("source", "deliveryId", "topic", "shopDomain", "receivedAt")
     VALUES ($1, $2, $3, $4, now())
     ON CONFLICT ("source", "deliveryId") DO NOTHING`,
    [source, deliveryId, topic, shopDomain],
  );
  return rowCount === 1;
}

/** Forgets a delivery whose processing failed, so that the sender's retry is processed. */
export async function forgetWebhookDelivery({
  source,
  deliveryId,
}: Pick<WebhookDeliveryInput, "source" | "deliveryId">) {
  await db.prisma.webhookDelivery.deleteMany({ where: { source, deliveryId } });
}
