// The signed-request builders must satisfy the real shopify-app-remix authentication, offline.
import { describe, expect, it } from "vitest";

import { authenticate } from "~/shopify.server";
import { uniqueShopDomain } from "~/test/builders";
import {
  adminRequest,
  installTestShopSession,
  TEST_ACCESS_TOKEN,
  webhookRequest,
} from "~/test/shopify";

describe("Shopify test helpers", () => {
  it("build admin requests that authenticate.admin accepts for an installed shop", async () => {
    const shopDomain = uniqueShopDomain();
    await installTestShopSession({ shopDomain });
    const { session } = await authenticate.admin(await adminRequest("/app", { shopDomain }));
    expect(session.shop).toBe(shopDomain);
    expect(session.accessToken).toBe(TEST_ACCESS_TOKEN);
  });

  it("build admin requests signed with another secret that authenticate.admin refuses with 401", async () => {
    const shopDomain = uniqueShopDomain();
    await installTestShopSession({ shopDomain });
    const request = await adminRequest("/app", { shopDomain, secret: "not-the-app-secret" });
    const response = await authenticate.admin(request).then(
      () => null,
      (thrown: unknown) => thrown as Response,
    );
    expect(response?.status).toBe(401);
  });

  it("build webhooks that authenticate.webhook verifies, and refuses with a bad HMAC", async () => {
    const shopDomain = uniqueShopDomain();
    const ok = await authenticate.webhook(
      webhookRequest({ topic: "app/uninstalled", shopDomain, payload: { id: 1 } }),
    );
    expect(ok).toMatchObject({ shop: shopDomain, topic: "APP_UNINSTALLED", payload: { id: 1 } });
    const forged = webhookRequest({ topic: "app/uninstalled", shopDomain, secret: "forged" });
    const refused = await authenticate.webhook(forged).then(
      () => null,
      (thrown: unknown) => thrown as Response,
    );
    expect(refused?.status).toBe(401);
  });
});
