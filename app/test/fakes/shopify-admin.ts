// Shopify's Admin API faked on loopback, with the real @shopify/shopify-api client in the loop.
// @shopify/shopify-api captures globalThis.fetch when it is first imported, so a test file calls
// interceptShopifyAdmin() inside vi.hoisted(), before any import reaches the library:
//
//   const shopifyAdmin = await vi.hoisted(async () => {
//     const { interceptShopifyAdmin } = await import("~/test/fakes/shopify-admin");
//     return interceptShopifyAdmin();
//   });
//
// Requests for https://<shop>.myshopify.com/admin/… then reach a loopback server that answers the
// token exchange and the GraphQL operations the app uses, and records every call so tests can
// assert the exact operations and variables. Any other myshopify.com request fails loudly.
import { type ServerResponse } from "node:http";

import { startFakeHttpServer, type FakeHttpServer, type RecordedRequest } from "~/test/fakes/http";

export interface ShopifyAdminCall {
  shop: string;
  kind: "token_exchange" | "graphql";
  /** The GraphQL operation name (e.g. "ShopRegistration"), null for the token exchange. */
  operationName: string | null;
  variables: Record<string, unknown>;
  /** The X-Shopify-Access-Token the app sent (GraphQL only). */
  accessToken: string | null;
  /** The GraphQL document the app sent, null for the token exchange. */
  query: string | null;
  /** The JSON body the fake answered (GraphQL only), for checking it against Shopify's schema. */
  answer?: unknown;
}

export interface FakeShop {
  name: string;
  email: string;
  /** The shop's contact e-mail (Shopify's `contactEmail`, never null in its schema); defaults to `email`. */
  contactEmail?: string;
}

/** How an operation misbehaves for one shop: an HTTP error, or GraphQL userErrors / errors. */
export type ShopifyAdminFailure = "http_500" | "user_errors" | "graphql_errors";

export interface FakeShopifyAdmin {
  readonly calls: ShopifyAdminCall[];
  callsFor(shop: string): ShopifyAdminCall[];
  /** The shop's name and e-mail as the `shop` query returns them (defaults are derived from the domain). */
  setShop(shop: string, profile: FakeShop): void;
  /** Makes an operation fail for one shop until `clearFailures()`. */
  failOperation(shop: string, operationName: string, failure: ShopifyAdminFailure): void;
  clearFailures(): void;
  /** App-data metafields written with metafieldsSet, by shop then `namespace.key`. */
  appMetafields(shop: string): Record<string, string>;
  /** The access token the token exchange hands out for a shop. */
  accessTokenFor(shop: string): string;
  close(): Promise<void>;
}

const APP_INSTALLATION_ID = "gid://shopify/AppInstallation/1001";

interface State {
  calls: ShopifyAdminCall[];
  shops: Map<string, FakeShop>;
  failures: Map<string, ShopifyAdminFailure>;
  metafields: Map<string, Record<string, string>>;
}

function shopOf(path: string) {
  return decodeURIComponent(path.split("/")[1] ?? "");
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

function profileOf(state: State, shop: string): FakeShop {
  const handle = shop.replace(/\.myshopify\.com$/, "");
  return state.shops.get(shop) ?? { name: `Shop ${handle}`, email: `owner@${handle}.example` };
}

function answerGraphql(
  state: State,
  shop: string,
  request: RecordedRequest,
  response: ServerResponse,
) {
  const body = JSON.parse(request.body) as { query: string; variables?: Record<string, unknown> };
  const operationName = /(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? null;
  const token = request.headers["x-shopify-access-token"];
  const call: ShopifyAdminCall = {
    shop,
    kind: "graphql",
    operationName,
    variables: body.variables ?? {},
    accessToken: typeof token === "string" ? token : null,
    query: body.query,
  };
  state.calls.push(call);
  const json = (response: ServerResponse, status: number, answer: unknown) => {
    call.answer = answer;
    sendJson(response, status, answer);
  };

  const failure = state.failures.get(`${shop}\u0000${operationName}`);
  if (failure === "http_500") return json(response, 500, { errors: "Internal Server Error" });
  if (failure === "graphql_errors") {
    return json(response, 200, { errors: [{ message: "Throttled" }], data: null });
  }

  switch (operationName) {
    case "ShopRegistration": {
      const profile = profileOf(state, shop);
      return json(response, 200, {
        data: {
          shop: {
            name: profile.name,
            email: profile.email,
            contactEmail: profile.contactEmail ?? profile.email,
          },
          currentAppInstallation: { id: APP_INSTALLATION_ID },
        },
      });
    }
    case "PublishReferralLink": {
      if (failure === "user_errors") {
        return json(response, 200, {
          data: {
            metafieldsSet: {
              metafields: null,
              userErrors: [{ field: ["metafields"], message: "Invalid", code: "INVALID" }],
            },
          },
        });
      }
      const inputs = (body.variables?.metafields ?? []) as Array<{
        ownerId: string;
        namespace: string;
        key: string;
        value: string;
      }>;
      const stored = state.metafields.get(shop) ?? {};
      for (const input of inputs) stored[`${input.namespace}.${input.key}`] = input.value;
      state.metafields.set(shop, stored);
      return json(response, 200, {
        data: {
          metafieldsSet: {
            // The app selects only each metafield's key.
            metafields: inputs.map(({ key }) => ({ key })),
            userErrors: [],
          },
        },
      });
    }
    case "StorefrontBlockStatus": {
      const stored = state.metafields.get(shop) ?? {};
      const link = stored["store_referrals.referral_link"];
      return json(response, 200, {
        data: {
          currentAppInstallation: {
            id: APP_INSTALLATION_ID,
            referralLink: link === undefined ? null : { value: link },
          },
        },
      });
    }
    default:
      return json(response, 200, {
        errors: [{ message: `The fake Admin API does not know the operation ${operationName}` }],
      });
  }
}

export function accessTokenFor(shop: string) {
  return `shpat_fake_${shop.replace(/\W/g, "_")}`;
}

async function startServer(state: State): Promise<FakeHttpServer> {
  return startFakeHttpServer((request, response) => {
    const shop = shopOf(request.path);
    const path = request.path.slice(shop.length + 1);
    if (request.method === "POST" && path === "/admin/oauth/access_token") {
      state.calls.push({
        shop,
        kind: "token_exchange",
        operationName: null,
        variables: JSON.parse(request.body) as Record<string, unknown>,
        accessToken: null,
        query: null,
      });
      return sendJson(response, 200, { access_token: accessTokenFor(shop), scope: "" });
    }
    if (request.method === "POST" && /^\/admin\/api\/[\w-]+\/graphql\.json$/.test(path)) {
      return answerGraphql(state, shop, request, response);
    }
    sendJson(response, 404, { errors: "Not Found" });
  });
}

/**
 * Replaces globalThis.fetch so that Admin API requests reach a loopback fake. Call it inside
 * vi.hoisted() (see the top of this file). Everything else goes to the original fetch.
 */
export function interceptShopifyAdmin(): FakeShopifyAdmin {
  const state: State = {
    calls: [],
    shops: new Map(),
    failures: new Map(),
    metafields: new Map(),
  };
  let server: Promise<FakeHttpServer> | undefined;
  const originalFetch = globalThis.fetch;

  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    if (!url.hostname.endsWith(".myshopify.com")) return originalFetch(input, init);
    server ??= startServer(state);
    const { url: base } = await server;
    const target = `${base}/${encodeURIComponent(url.hostname)}${url.pathname}${url.search}`;
    return originalFetch(input instanceof Request ? new Request(target, input) : target, init);
  };

  return {
    calls: state.calls,
    callsFor: (shop) => state.calls.filter((call) => call.shop === shop),
    setShop: (shop, profile) => state.shops.set(shop, profile),
    failOperation: (shop, operationName, failure) =>
      state.failures.set(`${shop}\u0000${operationName}`, failure),
    clearFailures: () => state.failures.clear(),
    appMetafields: (shop) => ({ ...(state.metafields.get(shop) ?? {}) }),
    accessTokenFor,
    close: async () => {
      if (server) await (await server).close();
      server = undefined;
    },
  };
}
