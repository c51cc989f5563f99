// Builders for signed Shopify requests, so tests exercise the real authenticate.admin /
// authenticate.webhook code with zero network calls (see STACK.md "Testing with no network").
import { createHmac, randomUUID } from "node:crypto";

import { getJwt } from "@shopify/shopify-api/test-helpers";

import { getEnv } from "~/env.server";
import { storeOfflineSession } from "~/models/session.server";
import { SHOP_FIELD_OF_TOPIC, type ShopifyWebhookTopic } from "~/lib/shopify/webhooks.server";

/** authenticate.admin answers 410 to bot user agents: tests speak as a browser. */
export const BROWSER_USER_AGENT =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

export const TEST_ACCESS_TOKEN = "shpat_test_access_token";

/** Stores the offline session Shopify's token exchange would have produced for this shop. */
export async function installTestShopSession({
  shopDomain,
  scope = getEnv().SCOPES,
}: {
  shopDomain: string;
  scope?: string;
}) {
  return storeOfflineSession({ shopDomain, accessToken: TEST_ACCESS_TOKEN, scope });
}

/** A session token (id_token) for the shop, signed with the app's secret. */
export async function sessionToken({
  shopDomain,
  secret = getEnv().SHOPIFY_API_SECRET,
}: {
  shopDomain: string;
  secret?: string;
}) {
  const env = getEnv();
  // getJwt takes the shop's handle and appends .myshopify.com itself.
  const handle = shopDomain.replace(/\.myshopify\.com$/, "");
  const { token } = await getJwt(handle, env.SHOPIFY_API_KEY, secret);
  return token;
}

/**
 * A request from the embedded admin (App Bridge adds `Authorization: Bearer <session token>` to
 * fetches). `url` is a path of the app, e.g. "/app/referrals?status=clicked".
 */
export async function adminRequest(
  url: string,
  {
    shopDomain,
    method = "GET",
    body,
    headers = {},
    secret,
  }: {
    shopDomain: string;
    method?: string;
    body?: BodyInit | null;
    headers?: Record<string, string>;
    secret?: string;
  },
): Promise<Request> {
  const token = await sessionToken({ shopDomain, secret });
  return new Request(new URL(url, getEnv().SHOPIFY_APP_URL), {
    method,
    body,
    headers: {
      "user-agent": BROWSER_USER_AGENT,
      authorization: `Bearer ${token}`,
      ...headers,
    },
  });
}

/** A form POST from the embedded admin (a Remix <Form> or fetcher.submit). */
export function adminFormRequest(
  url: string,
  { shopDomain, fields }: { shopDomain: string; fields: Record<string, string> },
) {
  return adminRequest(url, {
    shopDomain,
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
}

/** A document load inside the Shopify admin iframe: ?embedded=1&shop=…&host=…&id_token=… */
export async function adminDocumentRequest(url: string, { shopDomain }: { shopDomain: string }) {
  const target = new URL(url, getEnv().SHOPIFY_APP_URL);
  target.searchParams.set("embedded", "1");
  target.searchParams.set("shop", shopDomain);
  target.searchParams.set(
    "host",
    Buffer.from(`admin.shopify.com/store/${shopDomain.replace(".myshopify.com", "")}`).toString(
      "base64url",
    ),
  );
  target.searchParams.set("id_token", await sessionToken({ shopDomain }));
  return new Request(target, { headers: { "user-agent": BROWSER_USER_AGENT } });
}

/**
 * A webhook delivery as Shopify sends it: JSON body signed with the app secret (HMAC-SHA256).
 * Unless the test gives its own, the payload names the header's shop where the topic's payload
 * does (app/uninstalled its myshopify_domain, shop/redact and customers/* their shop_domain).
 */
export function webhookRequest({
  topic,
  shopDomain,
  payload,
  rawBody,
  eventId = randomUUID(),
  webhookId = randomUUID(),
  path,
  secret = getEnv().SHOPIFY_API_SECRET,
}: {
  topic: string;
  shopDomain: string;
  payload?: unknown;
  /** A body sent as is instead of the JSON of `payload` (still signed). */
  rawBody?: string;
  eventId?: string;
  webhookId?: string;
  /** Defaults to /webhooks/<topic> (e.g. /webhooks/app/uninstalled). */
  path?: string;
  secret?: string;
}): Request {
  const shopField = SHOP_FIELD_OF_TOPIC[topic as ShopifyWebhookTopic] ?? null;
  const body =
    rawBody ?? JSON.stringify(payload ?? (shopField ? { id: 1, [shopField]: shopDomain } : {}));
  const hmac = createHmac("sha256", secret).update(body, "utf8").digest("base64");
  return new Request(new URL(path ?? `/webhooks/${topic}`, getEnv().SHOPIFY_APP_URL), {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": topic,
      "x-shopify-shop-domain": shopDomain,
      "x-shopify-hmac-sha256": hmac,
      "x-shopify-api-version": "2025-10",
      "x-shopify-webhook-id": webhookId,
      "x-shopify-event-id": eventId,
      "x-shopify-triggered-at": new Date().toISOString(),
    },
  });
}

type WebhookAction = (args: {
  request: Request;
  params: Record<string, string>;
  context: Record<string, unknown>;
}) => Promise<Response>;

/** Calls a webhook route's action as Remix would; a thrown Response is the answer too. */
export async function deliverWebhook(action: WebhookAction, request: Request): Promise<Response> {
  try {
    return await action({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
