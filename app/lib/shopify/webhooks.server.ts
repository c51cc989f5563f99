// The one way Shopify webhooks are handled: HMAC verified by authenticate.webhook (401 when bad),
// the payload validated, then the effect applied once per event inside the transaction that
// records the delivery (lib/webhooks/inbound.server.ts, as for Clerk's): a replay of the same
// X-Shopify-Event-Id changes nothing. Handlers only touch the database, so the answer goes out
// well within Shopify's 5 s.
import { InvalidShopError } from "@shopify/shopify-api";
import { z } from "zod";

import { errorResponse } from "~/lib/infra/http-errors.server";
import { logger } from "~/lib/infra/logger.server";
import { applyInboundWebhookOnce } from "~/lib/webhooks/inbound.server";
import type { DatabaseClient } from "~/models/store.server";
import { authenticate } from "~/shopify.server";

export interface ShopifyWebhookEvent<Payload> {
  shopDomain: string;
  topic: string;
  deliveryId: string;
  payload: Payload;
}

export async function handleShopifyWebhook<Schema extends z.ZodType>(
  request: Request,
  payloadSchema: Schema,
  handle: (event: ShopifyWebhookEvent<z.infer<Schema>>, client: DatabaseClient) => Promise<unknown>,
): Promise<Response> {
  let context: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    context = await authenticate.webhook(request);
  } catch (error) {
    // Once the HMAC holds, the library JSON.parses the body and validates the shop's domain by
    // throwing: a signed body that is not JSON, or a malformed X-Shopify-Shop-Domain, is bad
    // input (400), not a server error Shopify would retry (found by the reliability fuzzing).
    if (error instanceof SyntaxError || error instanceof InvalidShopError) {
      return invalidPayload(null, null);
    }
    throw error;
  }
  const { shop, topic, payload, eventId, webhookId } = context;
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) return invalidPayload(shop, topic);
  // The event id is the same for every delivery of one event; the webhook id is the fallback
  // for deliveries that carry none.
  const deliveryId = eventId ?? webhookId;
  const outcome = await applyInboundWebhookOnce(
    { source: "shopify", deliveryId, topic, shopDomain: shop },
    ({ client }) => handle({ shopDomain: shop, topic, deliveryId, payload: parsed.data }, client),
  );
  logger.info("shopify_webhook.received", {
    shopDomain: shop,
    topic,
    deliveryId,
    duplicate: outcome.duplicate,
  });
  return new Response(null, { status: 200 });
}

function invalidPayload(shopDomain: string | null, topic: string | null) {
  logger.warn("shopify_webhook.invalid_payload", { shopDomain, topic });
  return errorResponse(400, "invalid_payload", "The webhook payload is not valid.");
}

/** Payloads the app does not read (it keeps no Shopify customer data) are accepted as any object. */
export const anyPayload = z.record(z.string(), z.unknown());
