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

  it("answers HEAD like GET (Shopify's login() would read a form for it)", async () => {
    const data = await callRoute(
      loader,
      new Request("https://store-referrals.test/auth/login", { method: "HEAD" }),
    );
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

  it("answers 413 to a chunked body past 16 KB, before Shopify's login reads it", async () => {
    // GIVEN a form body streamed without a Content-Length, 1 MB in 16 KB chunks
    let chunks = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (chunks++ === 64) return controller.close();
        controller.enqueue(new TextEncoder().encode(`shop=${"a".repeat(16 * 1024 - 5)}`));
      },
    });
    const request = new Request("https://store-referrals.test/auth/login", {
      method: "POST",
      body,
      duplex: "half",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "user-agent": BROWSER_USER_AGENT,
      },
    } as RequestInit);
    // WHEN it is posted THEN 413 in the error shape, after reading about 16 KB
    const response = (await callRoute(action, request)) as Response;
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: "payload_too_large" } });
    expect(chunks).toBeLessThan(5);
  });

  it("answers 415 to a JSON body and 400 to a broken multipart one, never a 500", async () => {
    for (const [contentType, body, status] of [
      ["application/json", '{"shop":"chen-wellness"}', 415],
      ["text/plain", "shop=chen-wellness", 415],
      ["multipart/form-data; boundary=x", "--x\r\nbroken", 400],
    ] as const) {
      const request = new Request("https://store-referrals.test/auth/login", {
        method: "POST",
        body,
        headers: { "content-type": contentType, "user-agent": BROWSER_USER_AGENT },
      });
      const response = (await callRoute(action, request)) as Response;
      expect(response.status, contentType).toBe(status);
      expect(await response.json()).toHaveProperty("error.code");
    }
  });

  it("takes the shop from a multipart form as from an urlencoded one", async () => {
    const form = new FormData();
    form.set("shop", "chen-wellness");
    const request = new Request("https://store-referrals.test/auth/login", {
      method: "POST",
      body: form,
      headers: { "user-agent": BROWSER_USER_AGENT },
    });
    const response = (await callRoute(action, request)) as Response;
    expect(response.status).toBe(302);
  });
});
