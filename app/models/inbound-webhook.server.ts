// Inbound webhook deliveries (Shopify's and Clerk's) processed exactly once. The delivery is
// recorded and its effect applied in ONE transaction: a replay (same event id) finds the row and
// changes nothing, two simultaneous deliveries of one event serialize on the primary key, and a
// failed handler leaves no record, so the sender's retry is processed.
import { db } from "~/db.server";
import type { DatabaseClient } from "~/models/store.server";

export type InboundWebhookSource = "shopify" | "clerk";

export interface InboundWebhookDeliveryInput {
  source: InboundWebhookSource;
  /** Shopify's X-Shopify-Event-Id (the same for every delivery of one event), Clerk's svix-id. */
  deliveryId: string;
  topic: string;
  shopDomain?: string | null;
}

export type InboundWebhookProcessing<T> = { duplicate: true } | { duplicate: false; result: T };

/** Prisma's defaults (5 s to run, 2 s to get a connection), unless a handler needs longer. */
export interface InboundWebhookTransactionOptions {
  timeoutMs?: number;
  maxWaitMs?: number;
}

/**
 * Records the delivery and runs `handle` in the same transaction. Every query of `handle` must
 * go through its `client` (the pool may hold a single connection: another one would wait for
 * this transaction forever). A handler that throws rolls the record back with its effect.
 */
export async function processInboundWebhookOnce<T>(
  delivery: InboundWebhookDeliveryInput,
  handle: (client: DatabaseClient) => Promise<T>,
  { timeoutMs, maxWaitMs }: InboundWebhookTransactionOptions = {},
): Promise<InboundWebhookProcessing<T>> {
  return db.prisma.$transaction(
    async (tx) => {
      const inserted = await tx.$executeRaw`
        INSERT INTO "InboundWebhookDelivery" ("source", "deliveryId", "topic", "shopDomain", "receivedAt")
        VALUES (${delivery.source}, ${delivery.deliveryId}, ${delivery.topic}, ${delivery.shopDomain ?? null}, now())
        ON CONFLICT ("source", "deliveryId") DO NOTHING`;
      if (inserted === 0) return { duplicate: true } as const;
      return { duplicate: false, result: await handle(tx) } as const;
    },
    {
      ...(timeoutMs !== undefined ? { timeout: timeoutMs } : {}),
      ...(maxWaitMs !== undefined ? { maxWait: maxWaitMs } : {}),
    },
  );
}

/** Whether a delivery was recorded (for tests and support). */
export async function findInboundWebhookDelivery({
  source,
  deliveryId,
}: {
  source: InboundWebhookSource;
  deliveryId: string;
}) {
  return db.prisma.inboundWebhookDelivery.findUnique({
    where: { source_deliveryId: { source, deliveryId } },
  });
}
