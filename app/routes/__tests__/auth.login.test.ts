// The login page for visits outside the Shopify admin.
import { describe, expect, it } from "vitest";

import { action, loader } from "~/routes/auth.login";
import { callRoute } from "~/test/routes";
import { BROWSER_USER_AGENT } from "~/test/shopify";

function post(fields: Record<string, string>) {
  return new Request("https://store-referrals.test/auth/login", {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "user-agent": BROWSER_USER_AGENT,
    },
  });
}

describe("/auth/login", () => {
  it("shows the form without errors", async () => {
    const data = await callRoute(loader, new Request("https://store-referrals.test/auth/login"));
    expect(data).toEqual({ errors: { shop: undefined } });
  });

  it("sends a valid shop to Shopify's managed install", async () => {
    const response = (await callRoute(action, post({ shop: "chen-wellness" }))) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(
      "https://admin.shopify.com/store/chen-wellness/oauth/install?client_id=demo-api-key",
    );
  });

  it("answers 400 with a message to an invalid shop", async () => {
    const response = (await callRoute(action, post({ shop: "not a shop!" }))) as Response;
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: { shop: "Enter a domain like your-shop.myshopify.com." },
    });
  });
});
