// Shopify's auth pages under /auth that authenticate.admin answers itself: without this route a
// document load with an expired or missing session token ended on a 404.
import { describe, expect, it } from "vitest";

import { loader } from "~/routes/auth.$";
import { callRoute } from "~/test/routes";
import { BROWSER_USER_AGENT } from "~/test/shopify";

const SHOP = "chen-wellness.myshopify.com";
const HOST = Buffer.from("admin.shopify.com/store/chen-wellness").toString("base64url");

function get(path: string) {
  return new Request(new URL(path, "https://store-referrals.test"), {
    headers: { "user-agent": BROWSER_USER_AGENT },
  });
}

describe("/auth/*", () => {
  it("serves the session token bounce page, which loads App Bridge to reload with a token", async () => {
    // GIVEN a document load of /app without id_token, bounced by authenticate.admin
    const reload = `https://store-referrals.test/app/kit?embedded=1&shop=${SHOP}&host=${HOST}`;
    const path = `/auth/session-token?${new URLSearchParams({
      embedded: "1",
      shop: SHOP,
      host: HOST,
      "shopify-reload": reload,
    })}`;
    // WHEN the bounce page is requested
    const response = (await callRoute(loader, get(path))) as Response;
    // THEN it is the page with Shopify's App Bridge script (which reloads with a token)
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain(
      '<script data-api-key="demo-api-key" src="https://cdn.shopify.com/shopifycloud/app-bridge.js"></script>',
    );
  });

  it("serves the exit-iframe page for the app's own URLs only", async () => {
    const exit = (destination: string) =>
      get(
        `/auth/exit-iframe?${new URLSearchParams({ shop: SHOP, host: HOST, exitIframe: destination })}`,
      );

    const own = (await callRoute(loader, exit("/auth/login"))) as Response;
    expect(own.status).toBe(200);
    expect(await own.text()).toContain(
      'window.open("https://store-referrals.test/auth/login", "_top")',
    );
    // Shopify's library refuses the destination (ShopifyError "Invalid exit-iframe destination"):
    // the request's fault, a 400 in the app's error shape rather than a 500.
    const evil = (await callRoute(loader, exit("https://evil.example/"))) as Response;
    expect(evil.status).toBe(400);
    expect(await evil.json()).toMatchObject({ error: { code: "invalid_request" } });
  });

  it("answers 400 to an exit-iframe page without a destination", async () => {
    const response = (await callRoute(loader, get("/auth/exit-iframe"))) as Response;
    expect(response.status).toBe(400);
  });
});
