// The one way an inbound webhook (Shopify's, Clerk's) is applied: once per delivery, its effect
// in the transaction that records it (app/models/inbound-webhook.server.ts). What must not
// happen for rolled-back work (analytics events) is queued with `afterCommit` and runs only
// once the transaction has committed.
import {
  processInboundWebhookOnce,
  type InboundWebhookDeliveryInput,
  type InboundWebhookProcessing,
  type InboundWebhookTransactionOptions,
} from "~/models/inbound-webhook.server";
import type { DatabaseClient } from "~/models/store.server";
import { logger } from "~/lib/infra/logger.server";

export interface InboundWebhookContext {
  /** The transaction's client: every query of the handler goes through it. */
  client: DatabaseClient;
  /** Runs `effect` after the commit; never when the delivery is rolled back or a duplicate. */
  afterCommit(effect: () => void): void;
}

export async function applyInboundWebhookOnce<T>(
  delivery: InboundWebhookDeliveryInput,
  handle: (context: InboundWebhookContext) => Promise<T>,
  options?: InboundWebhookTransactionOptions,
): Promise<InboundWebhookProcessing<T>> {
  const effects: Array<() => void> = [];
  const outcome = await processInboundWebhookOnce(
    delivery,
    (client) => handle({ client, afterCommit: (effect) => effects.push(effect) }),
    options,
  );
  for (const effect of effects) {
    try {
      effect();
    } catch (error) {
      // The delivery is committed: a failing side effect must not make the sender retry it.
      logger.error("inbound_webhook.after_commit_failed", {
        source: delivery.source,
        deliveryId: delivery.deliveryId,
        error,
      });
    }
  }
  return outcome;
}
