// The one way Shopify webhooks are handled: the body read up to 256 KB (413 past it, chunked or
// not), the HMAC verified by authenticate.webhook (401 when bad), the payload validated and bound
// to the shop it names (the HMAC covers only the body, not X-Shopify-Shop-Domain: decision
// 0012), then the effect applied once per event inside the transaction that records the
// delivery (lib/webhooks/inbound.server.ts, as for Clerk's): a replay of the same
// X-Shopify-Event-Id changes nothing. Handlers only touch the database, so the answer goes out
// well within Shopify's 5 s.
import { InvalidShopError } from "@shopify/shopify-api";
import { z } from "zod";

import { errorResponse } from "~/lib/infra/http-errors.server";
import { logger } from "~/lib/infra/logger.server";
import { withBoundedBody } from "~/lib/infra/request-body.server";
import { applyInboundWebhookOnce } from "~/lib/webhooks/inbound.server";
import type { DatabaseClient } from "~/models/store.server";
import { authenticate } from "~/shopify.server";

export interface ShopifyWebhookEvent<Payload> {
  shopDomain: string;
  topic: string;
  deliveryId: string;
  payload: Payload;
}

/** Shopify's payloads for these topics are a few KB; nothing larger is buffered. */
const MAX_BODY_BYTES = 256 * 1024;

/**
 * The topics the app handles, each with the payload field that names its shop. The route says
 * which topic it is (X-Shopify-Topic is unsigned as well). `null`: the payload names no shop
 * (decision 0012 says why app/scopes_update is still applied).
 */
export const SHOP_FIELD_OF_TOPIC = {
  "app/uninstalled": "myshopify_domain",
  "app/scopes_update": null,
  "customers/data_request": "shop_domain",
  "customers/redact": "shop_domain",
  "shop/redact": "shop_domain",
  "shop/update": "myshopify_domain",
} as const;

export type ShopifyWebhookTopic = keyof typeof SHOP_FIELD_OF_TOPIC;

export async function handleShopifyWebhook<Schema extends z.ZodType>(
  request: Request,
  { topic: routeTopic, payload: payloadSchema }: { topic: ShopifyWebhookTopic; payload: Schema },
  handle: (event: ShopifyWebhookEvent<z.infer<Schema>>, client: DatabaseClient) => Promise<unknown>,
): Promise<Response> {
  let context: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    // Bounded before the library reads it: it buffers the whole body before checking the HMAC.
    context = await authenticate.webhook(await withBoundedBody(request, MAX_BODY_BYTES));
  } catch (error) {
    // The reader's 413 or 400, and the library's own 401 for a bad HMAC.
    if (error instanceof Response) return error;
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
  const shopField = SHOP_FIELD_OF_TOPIC[routeTopic];
  if (shopField !== null) {
    // A signed body of one shop (or of a topic that names none) with another shop's header
    // would otherwise act on that other shop.
    const named = (payload as Record<string, unknown> | null)?.[shopField];
    const payloadShop = typeof named === "string" ? named.toLowerCase() : null;
    if (payloadShop !== shop.toLowerCase()) {
      logger.warn("shopify_webhook.shop_mismatch", {
        topic: routeTopic,
        headerShopDomain: shop,
        payloadShopDomain: payloadShop,
      });
      return errorResponse(
        401,
        "shop_mismatch",
        `The signed payload's ${shopField} does not name the X-Shopify-Shop-Domain shop.`,
      );
    }
  }
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
