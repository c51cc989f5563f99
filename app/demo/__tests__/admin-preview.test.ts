// The local stand-in for the Shopify admin (/demo/*, app/demo/routes/): refused in production
// and with a real Shopify secret; in development its session tokens pass the real
// authenticate.admin, and the admin documents load the App Bridge stand-in only inside the
// preview. In production the gate (app/demo/index.server.ts) gives production code nothing.
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";

import { applyDemoAdminHeaders, demoAppBridgeUrl } from "~/demo/admin/admin-preview.server";
import { localPreview } from "~/demo/index.server";
import { resetEnvForTests } from "~/env.server";
import { loader as appLayoutLoader } from "~/routes/app";
import { loader as homeLoader } from "~/routes/app._index";
import { action as settingsAction, loader as settingsLoader } from "~/routes/app.settings";
import { loader as demoAdminLoader } from "~/demo/routes/admin";
import { loader as appBridgeScriptLoader } from "~/demo/routes/app-bridge";
import { loader as sessionTokenLoader } from "~/demo/routes/session-token";
import { uniqueShopDomain } from "~/test/builders";
import { callRoute, createInstalledTestStore, loadData } from "~/test/routes";
import { adminRequest, BROWSER_USER_AGENT } from "~/test/shopify";

const shopifyAdmin = await vi.hoisted(async () => {
  const { interceptShopifyAdmin } = await import("~/test/fakes/shopify-admin");
  return interceptShopifyAdmin();
});
afterAll(() => shopifyAdmin.close());

const PREVIEW_COOKIE = "store_referrals_admin_preview=1";

const PRODUCTION = {
  NODE_ENV: "production",
  DATABASE_URL: "postgresql://db.example.com/app",
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "real-shopify-secret",
  SHOPIFY_APP_URL: "https://referrals.example.com",
  APP_SECRET: "x".repeat(40),
  CLERK_PUBLISHABLE_KEY: "pk_live_x",
  CLERK_SECRET_KEY: "sk_live_x",
};

const saved = { ...process.env };
function useEnvironment(variables: Record<string, string>) {
  Object.assign(process.env, variables);
  resetEnvForTests();
}
afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
  resetEnvForTests();
});

function get(path: string, headers: Record<string, string> = {}) {
  return new Request(new URL(path, "https://store-referrals.test"), {
    headers: { "user-agent": BROWSER_USER_AGENT, ...headers },
  });
}

const DEMO_ROUTES = [
  { path: "/demo/admin", loader: demoAdminLoader },
  { path: "/demo/session-token?shop=chen-wellness-demo.myshopify.com", loader: sessionTokenLoader },
  {
    path: "/demo/app-bridge.js?shop=chen-wellness-demo.myshopify.com",
    loader: appBridgeScriptLoader,
  },
];

describe("the demo routes outside a local preview", () => {
  it.each(DEMO_ROUTES)("production answers 404 to $path", async ({ path, loader }) => {
    // GIVEN a production environment
    useEnvironment(PRODUCTION);
    // WHEN the route is requested, even with the preview cookie
    const outcome = await callRoute(loader, get(path, { cookie: PREVIEW_COOKIE }));
    // THEN it does not exist
    expect(outcome).toBeInstanceOf(Response);
    expect((outcome as Response).status).toBe(404);
  });

  it.each(DEMO_ROUTES)(
    "development with the app's real Shopify secret answers 404 to $path",
    async ({ path, loader }) => {
      // GIVEN development with real credentials (e.g. `shopify app dev` behind a public tunnel)
      useEnvironment({ SHOPIFY_API_KEY: "key", SHOPIFY_API_SECRET: "real-shopify-secret" });
      // WHEN the route is requested
      const outcome = await callRoute(loader, get(path, { cookie: PREVIEW_COOKIE }));
      // THEN nothing signs tokens with that secret
      expect((outcome as Response).status).toBe(404);
    },
  );

  it("production never swaps App Bridge or the framing policy, even with the preview cookie", () => {
    useEnvironment(PRODUCTION);
    const request = get("/app?shop=a.myshopify.com", { cookie: PREVIEW_COOKIE });
    const shopifyPolicy = "frame-ancestors https://a.myshopify.com https://admin.shopify.com;";
    const headers = new Headers({ "content-security-policy": shopifyPolicy });

    applyDemoAdminHeaders(request, headers);

    expect(demoAppBridgeUrl(request, "a.myshopify.com")).toBeUndefined();
    expect(headers.get("content-security-policy")).toBe(shopifyPolicy);
  });

  it("gives production code no hook into the preview: the gate is closed", () => {
    // GIVEN a production environment
    useEnvironment(PRODUCTION);
    // WHEN production code asks the gate (app/demo/index.server.ts)
    // THEN there is nothing to call
    expect(localPreview()).toBeNull();
  });
});

describe("/demo/session-token", () => {
  it("mints a session token that the real authenticate.admin accepts for that shop", async () => {
    // GIVEN a shop installed in this database
    const store = await createInstalledTestStore();
    // WHEN the preview asks for its token and the admin home is loaded with it
    const response = (await callRoute(
      sessionTokenLoader,
      get(`/demo/session-token?shop=${store.shopDomain}`),
    )) as Response;
    const { token, expires_at } = (await response.json()) as { token: string; expires_at: string };
    const home = await loadData(homeLoader, get("/app", { authorization: `Bearer ${token}` }));
    // THEN the token is short-lived, never cached, and opens that store's admin
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(Date.parse(expires_at) - Date.now()).toBeLessThanOrEqual(60_000);
    expect(home.referralCode).toBe(store.referralCode);
    expect(shopifyAdmin.callsFor(store.shopDomain)).toEqual([]);
  });

  it("refuses a shop that is not installed here", async () => {
    const shopDomain = uniqueShopDomain("absent");
    const outcome = await callRoute(
      sessionTokenLoader,
      get(`/demo/session-token?shop=${shopDomain}`),
    );
    expect((outcome as Response).status).toBe(404);
    expect(await (outcome as Response).json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("answers 400 to a shop that is not a shop domain", async () => {
    const outcome = await callRoute(
      sessionTokenLoader,
      get("/demo/session-token?shop=https://evil.example"),
    );
    expect((outcome as Response).status).toBe(400);
  });
});

describe("/demo/admin", () => {
  it("marks the preview with its cookie and frames /app as Shopify's admin does", async () => {
    // GIVEN an installed shop
    const store = await createInstalledTestStore();
    // WHEN its preview opens
    const response = (await demoAdminLoader({
      request: get(`/demo/admin?shop=${store.shopDomain}`),
      params: {},
      context: {},
    })) as Response;
    const data = (await response.json()) as { frameUrl: string; storeName: string };
    // THEN the frame loads /app with embedded, shop, host and a session token for that shop
    expect(response.headers.get("set-cookie")).toBe(
      "store_referrals_admin_preview=1; Path=/; HttpOnly; SameSite=Strict",
    );
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(data.storeName).toBe(store.name);
    const frame = new URL(data.frameUrl, "https://store-referrals.test");
    expect(frame.pathname).toBe("/app");
    expect(frame.searchParams.get("embedded")).toBe("1");
    expect(frame.searchParams.get("shop")).toBe(store.shopDomain);
    expect(atob(frame.searchParams.get("host")!.replace(/-/g, "+").replace(/_/g, "/"))).toBe(
      `admin.shopify.com/store/${store.shopDomain.replace(".myshopify.com", "")}`,
    );
    const home = await loadData(homeLoader, get(data.frameUrl));
    expect(home.referralCode).toBe(store.referralCode);
  });

  it("opens only admin paths, without parameters of its own", async () => {
    const store = await createInstalledTestStore();
    const frameOf = async (path: string) => {
      const response = (await demoAdminLoader({
        request: get(`/demo/admin?${new URLSearchParams({ shop: store.shopDomain, path })}`),
        params: {},
        context: {},
      })) as Response;
      const { frameUrl } = (await response.json()) as { frameUrl: string };
      const url = new URL(frameUrl, "https://store-referrals.test");
      return { path: url.pathname, status: url.searchParams.get("status"), url };
    };

    expect((await frameOf("https://evil.example/app")).path).toBe("/app");
    expect((await frameOf("/auth/login")).path).toBe("/app");
    const referrals = await frameOf("/app/referrals?status=clicked&shop=other.myshopify.com");
    expect(referrals).toMatchObject({ path: "/app/referrals", status: "clicked" });
    expect(referrals.url.searchParams.getAll("shop")).toEqual([store.shopDomain]);
  });

  it("answers 404 for a shop that is not installed here", async () => {
    const outcome = await callRoute(
      demoAdminLoader,
      get(`/demo/admin?shop=${uniqueShopDomain("absent")}`),
    );
    expect((outcome as Response).status).toBe(404);
  });
});

describe("the admin layout", () => {
  it("loads Shopify's App Bridge outside the preview", async () => {
    const store = await createInstalledTestStore();
    const data = await loadData(
      appLayoutLoader,
      await adminRequest("/app", { shopDomain: store.shopDomain }),
    );
    expect(data.appBridgeUrl).toBeUndefined();
  });

  it("loads the local stand-in for its shop inside the preview", async () => {
    const store = await createInstalledTestStore();
    const data = await loadData(
      appLayoutLoader,
      await adminRequest("/app", {
        shopDomain: store.shopDomain,
        headers: { cookie: PREVIEW_COOKIE },
      }),
    );
    expect(data.appBridgeUrl).toBe(`/demo/app-bridge.js?shop=${store.shopDomain}`);
  });

  it("lets only the preview frame the admin documents, without Shopify's CDN script", () => {
    const request = get("/app?shop=a.myshopify.com", { cookie: PREVIEW_COOKIE });
    const headers = new Headers({
      "content-security-policy":
        "frame-ancestors https://a.myshopify.com https://admin.shopify.com;",
      link: '<https://cdn.shopify.com/shopifycloud/app-bridge.js>; rel="preload"; as="script";',
    });

    applyDemoAdminHeaders(request, headers);

    expect(headers.get("content-security-policy")).toBe("frame-ancestors 'self';");
    expect(headers.get("link")).toBeNull();
  });

  it("keeps Shopify's CDN script out of the preview page itself", () => {
    // GIVEN the first visit to the preview (no cookie yet) of a named shop
    const request = get("/demo/admin?shop=a.myshopify.com");
    const headers = new Headers({
      link: '<https://cdn.shopify.com/shopifycloud/app-bridge.js>; rel="preload"; as="script";',
    });

    applyDemoAdminHeaders(request, headers);

    expect(headers.get("link")).toBeNull();
  });
});

describe("/demo/app-bridge.js", () => {
  it("serves the stand-in as JavaScript configured for the shop", async () => {
    const response = (await appBridgeScriptLoader({
      request: get("/demo/app-bridge.js?shop=chen-wellness-demo.myshopify.com"),
      params: {},
      context: {},
    })) as Response;
    const script = await response.text();

    expect(response.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(script).toContain('"shopDomain":"chen-wellness-demo.myshopify.com"');
    expect(script).toContain('"sessionTokenPath":"/demo/session-token"');
    // Its source text is sent as is: it must be a complete, valid script.
    expect(() => new Function(script)).not.toThrow();
  });
});

describe("the Admin API inside the local preview", () => {
  it("answers the storefront block's status and publishing locally, never from Shopify", async () => {
    // GIVEN an installed shop opened in the preview (its requests carry the preview's cookie)
    const store = await createInstalledTestStore();
    const inPreview = { cookie: PREVIEW_COOKIE };
    // WHEN Settings loads, the link is published to the block, and Settings loads again
    const before = await loadData(
      settingsLoader,
      await adminRequest("/app/settings", { shopDomain: store.shopDomain, headers: inPreview }),
    );
    const published = await callRoute(
      settingsAction,
      await adminRequest("/app/settings", {
        shopDomain: store.shopDomain,
        method: "POST",
        body: new URLSearchParams({ intent: "publish_storefront_link" }),
        headers: { ...inPreview, "content-type": "application/x-www-form-urlencoded" },
      }),
    );
    const after = await loadData(
      settingsLoader,
      await adminRequest("/app/settings", { shopDomain: store.shopDomain, headers: inPreview }),
    );
    // THEN the block went from not set up to published, and no request reached the Admin API
    expect(before.storefrontBlock).toBe("missing");
    expect(published).toMatchObject({ ok: true, message: "Storefront block updated" });
    expect(after.storefrontBlock).toBe("published");
    expect(shopifyAdmin.callsFor(store.shopDomain)).toEqual([]);
  });

  it("leaves the shop's own Admin API to a request outside the preview, and to production", async () => {
    // GIVEN an installed shop
    const store = await createInstalledTestStore();
    // WHEN Settings loads without the preview's cookie
    await loadData(
      settingsLoader,
      await adminRequest("/app/settings", { shopDomain: store.shopDomain }),
    );
    // THEN the status was read from the shop's Admin API
    expect(shopifyAdmin.callsFor(store.shopDomain).map((call) => call.operationName)).toEqual([
      "StorefrontBlockStatus",
    ]);
    // AND in production the gate offers no stand-in, whatever the request carries
    useEnvironment(PRODUCTION);
    expect(localPreview()).toBeNull();
  });
});
