// Admin → API keys: loader and action through the real authenticate.admin, scoped to the shop.
import { afterAll, describe, expect, it, vi } from "vitest";

import { authenticateApiKey, createApiKey, listApiKeys } from "~/models/api-key.server";
import { ensureStoreForShop, getStoreByShop } from "~/models/store.server";
import { action, loader } from "~/routes/app.api-keys";
import { uniqueShopDomain } from "~/test/builders";
import { callRoute } from "~/test/routes";
import { adminFormRequest, adminRequest, installTestShopSession } from "~/test/shopify";
import { countedChunkedBody, NOT_A_FORM, postToAdminAction, withStreamedBody } from "~/test/bodies";

// The install repair reads the shop and writes its metafields through the Admin API.
const shopifyAdmin = await vi.hoisted(async () => {
  const { interceptShopifyAdmin } = await import("~/test/fakes/shopify-admin");
  return interceptShopifyAdmin();
});

afterAll(() => shopifyAdmin.close());

/** An installed shop with its store, as after the app's install. */
async function installedShop() {
  const shopDomain = uniqueShopDomain();
  await installTestShopSession({ shopDomain });
  const { store } = await ensureStoreForShop({ shopDomain, name: "Chen Wellness" });
  return { shopDomain, store };
}

const routeArgs = (request: Request) => ({ request, params: {}, context: {} });

async function submit(shopDomain: string, fields: Record<string, string>) {
  const response = await action(
    routeArgs(await adminFormRequest("/app/api-keys", { shopDomain, fields })),
  );
  // The action's answers are a union; a test reads whichever fields it expects.
  const body = (await response.json()) as {
    ok: boolean;
    intent?: string;
    key: string;
    errors: Record<string, string | undefined>;
  };
  return { status: response.status, headers: response.headers, body };
}

describe("app.api-keys loader", () => {
  it("lists the shop's own keys, without hashes or full keys", async () => {
    // GIVEN two shops with a key each
    const shop = await installedShop();
    const other = await installedShop();
    const mine = await createApiKey({
      storeId: shop.store.id,
      name: "Dashboard",
      scopes: ["read"],
    });
    await createApiKey({ storeId: other.store.id, name: "Not mine", scopes: ["read"] });
    // WHEN the shop opens the page
    const response = await loader(routeArgs(await adminRequest("/app/api-keys", shop)));
    const data = await response.json();
    // THEN it sees only its key, by prefix
    expect(data.apiKeys).toEqual([
      {
        id: mine.apiKey.id,
        name: "Dashboard",
        prefix: mine.key.slice(0, 12),
        scopes: ["read"],
        createdAt: expect.any(String),
        lastUsedAt: null,
        revokedAt: null,
      },
    ]);
    expect(JSON.stringify(data)).not.toContain(mine.key);
  });

  it("repairs a failed install: a shop with a session but no store gets the page", async () => {
    // GIVEN an installed shop (offline session) whose install failed before creating its store
    const shopDomain = uniqueShopDomain("api-keys-repair");
    shopifyAdmin.setShop(shopDomain, { name: "Green Grocer", email: "gg@example.com" });
    await installTestShopSession({ shopDomain });
    // WHEN its admin opens the API keys page
    const response = await loader(
      routeArgs(await adminRequest("/app/api-keys", { shopDomain })),
    ).catch((thrown: unknown) => {
      if (thrown instanceof Response) throw new Error(`The page answered ${thrown.status}`);
      throw thrown;
    });
    // THEN the page loads (no keys yet) and the store exists afterwards
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ apiKeys: [] });
    expect(await getStoreByShop({ shopDomain })).toMatchObject({
      name: "Green Grocer",
      status: "active",
    });
  });

  it("refuses a request not signed by Shopify", async () => {
    const shop = await installedShop();
    const request = await adminRequest("/app/api-keys", { ...shop, secret: "forged-secret" });
    const thrown = await loader(routeArgs(request)).then(
      () => null,
      (error: unknown) => error as Response,
    );
    expect(thrown?.status).toBe(401);
  });
});

describe("app.api-keys action", () => {
  it("creates a key with the chosen scopes and returns its full value once", async () => {
    const shop = await installedShop();
    const { status, headers, body } = await submit(shop.shopDomain, {
      intent: "create",
      name: "  Warehouse dashboard  ",
      scopes: "read,write",
    });
    expect(status).toBe(200);
    expect(headers.get("cache-control")).toBe("no-store");
    expect(body).toMatchObject({
      ok: true,
      intent: "create",
      key: expect.stringMatching(/^sr_live_/),
      apiKey: { name: "Warehouse dashboard", scopes: ["read", "write"] },
    });
    // The key works for the shop's store, and is never listed again.
    expect(await authenticateApiKey(body.key)).toMatchObject({
      storeId: shop.store.id,
      scopes: ["read", "write"],
    });
    const listed = await loader(routeArgs(await adminRequest("/app/api-keys", shop)));
    expect(JSON.stringify(await listed.json())).not.toContain(body.key);
  });

  it.each([
    [{ intent: "create", name: "", scopes: "read" }, "name"],
    [{ intent: "create", name: "x".repeat(65), scopes: "read" }, "name"],
    [{ intent: "create", name: "Dashboard", scopes: "" }, "scopes"],
    [{ intent: "create", name: "Dashboard", scopes: "admin" }, "scopes"],
    [{ intent: "delete-everything" }, "intent"],
    [{ intent: "revoke", apiKeyId: "1" }, "apiKeyId"],
  ])("answers %j with 400 naming %s, and creates nothing", async (fields, field) => {
    const shop = await installedShop();
    const { status, body } = await submit(shop.shopDomain, fields);
    expect(status).toBe(400);
    expect(body.ok).toBe(false);
    expect(body.errors[field]).toEqual(expect.any(String));
    expect(await listApiKeys({ storeId: shop.store.id })).toEqual([]);
  });

  it("revokes the shop's own key: it stops authenticating at once", async () => {
    const shop = await installedShop();
    const { key, apiKey } = await createApiKey({
      storeId: shop.store.id,
      name: "Old",
      scopes: ["read"],
    });
    const { status, body } = await submit(shop.shopDomain, {
      intent: "revoke",
      apiKeyId: apiKey.id,
    });
    expect(status).toBe(200);
    expect(body).toEqual({ ok: true, intent: "revoke" });
    expect(await authenticateApiKey(key)).toBeNull();
  });

  it("never revokes another shop's key", async () => {
    // GIVEN another shop's key
    const shop = await installedShop();
    const other = await installedShop();
    const { key, apiKey } = await createApiKey({
      storeId: other.store.id,
      name: "Theirs",
      scopes: ["read"],
    });
    // WHEN this shop posts its id
    const { status, body } = await submit(shop.shopDomain, {
      intent: "revoke",
      apiKeyId: apiKey.id,
    });
    // THEN it is not found and the key keeps working
    expect(status).toBe(404);
    expect(body.errors.apiKeyId).toEqual(expect.any(String));
    expect(await authenticateApiKey(key)).toMatchObject({ apiKeyId: apiKey.id });
  });
});

describe("app.api-keys action: bodies that are not a form", () => {
  it.each(NOT_A_FORM)(
    "answers %s with %i in the error shape and changes nothing",
    async (contentType, body, status) => {
      // GIVEN an installed shop's admin
      const shop = await installedShop();
      // WHEN it posts a body that is not a well-formed form
      const response = await postToAdminAction(action, "/app/api-keys", {
        shopDomain: shop.shopDomain,
        contentType,
        body,
      });
      // THEN a 4xx in the one error shape, never a 500
      expect(response.status).toBe(status);
      expect(await response.json()).toHaveProperty("error.code");
      expect(await listApiKeys({ storeId: shop.store.id })).toEqual([]);
    },
  );

  it("answers 413 to a chunked form past 64 KB", async () => {
    const shop = await installedShop();
    const { body, pulled } = countedChunkedBody();
    const request = await adminRequest("/app/api-keys", {
      shopDomain: shop.shopDomain,
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    const response = (await callRoute(action, withStreamedBody(request, body))) as Response;
    expect(response.status).toBe(413);
    expect(pulled.count).toBeLessThan(10);
  });
});
