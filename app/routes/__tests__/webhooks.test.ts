// Shopify webhooks, delivered as Shopify signs them, through the real authenticate.webhook.
import { randomUUID } from "node:crypto";

import { describe, expect, it, vi } from "vitest";

import { db } from "~/db.server";
import type { ShopifyWebhookTopic } from "~/lib/shopify/webhooks.server";
import { listSessionsForShop } from "~/models/session.server";
import { changeStoreStatus, getStoreByShop } from "~/models/store.server";
import { findInboundWebhookDelivery } from "~/models/inbound-webhook.server";
import { action as appUninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as scopesUpdate } from "~/routes/webhooks.app.scopes_update";
import { action as customersDataRequest } from "~/routes/webhooks.customers.data_request";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { createTestStore, recordReferralActivity, uniqueShopDomain } from "~/test/builders";
import { getEnv } from "~/env.server";
import { deliverWebhook, installTestShopSession, webhookRequest } from "~/test/shopify";

const deliver = deliverWebhook;

async function shopRows(shopDomain: string) {
  const store = await db.prisma.store.findUnique({ where: { shopDomain } });
  const storeId = store?.id ?? -1;
  return {
    store,
    referrals: await db.prisma.storeReferral.count({ where: { storeId } }),
    dailyStats: await db.prisma.storeDailyStat.count({ where: { storeId } }),
    apiKeys: await db.prisma.apiKey.count({ where: { storeId } }),
    sessions: await db.prisma.session.count({ where: { shop: shopDomain } }),
    deliveries: await db.prisma.inboundWebhookDelivery.count({ where: { shopDomain } }),
  };
}

/** A store with sessions, referral history, an API key and a recorded webhook delivery. */
async function installedShopWithHistory() {
  const store = await createTestStore();
  await installTestShopSession({ shopDomain: store.shopDomain });
  await recordReferralActivity({ referralCode: store.referralCode, clicks: 3, signups: 2 });
  await db.prisma.apiKey.create({
    data: {
      storeId: store.id,
      name: "Reporting",
      prefix: "sr_live_ab",
      hashedKey: randomUUID(),
      scopes: ["read"],
    },
  });
  await deliver(
    customersDataRequest,
    webhookRequest({ topic: "customers/data_request", shopDomain: store.shopDomain }),
  );
  return store;
}

describe("app/uninstalled", () => {
  it("deactivates the store, keeps its code and deletes the shop's sessions", async () => {
    // GIVEN an installed, active store
    const store = await createTestStore();
    await installTestShopSession({ shopDomain: store.shopDomain });
    // WHEN Shopify reports the uninstall
    const response = await deliver(
      appUninstalled,
      webhookRequest({ topic: "app/uninstalled", shopDomain: store.shopDomain }),
    );
    // THEN the store is deactivated with the same code, and no session is left
    expect(response.status).toBe(200);
    const after = await getStoreByShop({ shopDomain: store.shopDomain });
    expect(after).toMatchObject({ status: "deactivated", referralCode: store.referralCode });
    expect(after?.uninstalledAt).toBeInstanceOf(Date);
    expect(await listSessionsForShop({ shopDomain: store.shopDomain })).toEqual([]);
  });

  it("keeps a suspended store suspended and records when it was uninstalled", async () => {
    const store = await createTestStore();
    await changeStoreStatus({
      shopDomain: store.shopDomain,
      to: "suspended",
      actor: "operator",
      reason: "Unpaid invoices",
    });
    await deliver(
      appUninstalled,
      webhookRequest({ topic: "app/uninstalled", shopDomain: store.shopDomain }),
    );
    const after = await getStoreByShop({ shopDomain: store.shopDomain });
    expect(after).toMatchObject({ status: "suspended", statusReason: "Unpaid invoices" });
    expect(after?.uninstalledAt).toBeInstanceOf(Date);
  });

  it("refuses a delivery with a bad HMAC with 401 and changes nothing", async () => {
    // GIVEN an installed store
    const store = await createTestStore();
    await installTestShopSession({ shopDomain: store.shopDomain });
    const eventId = randomUUID();
    // WHEN a forged uninstall arrives
    const response = await deliver(
      appUninstalled,
      webhookRequest({
        topic: "app/uninstalled",
        shopDomain: store.shopDomain,
        eventId,
        secret: "not-the-app-secret",
      }),
    );
    // THEN it is refused and the store, its sessions and the delivery log are untouched
    expect(response.status).toBe(401);
    expect(await getStoreByShop({ shopDomain: store.shopDomain })).toMatchObject({
      status: "active",
    });
    expect(await listSessionsForShop({ shopDomain: store.shopDomain })).toHaveLength(1);
    expect(await findInboundWebhookDelivery({ source: "shopify", deliveryId: eventId })).toBeNull();
  });

  it("answers 400 to a signed body that is not JSON and changes nothing", async () => {
    // GIVEN an installed store
    const store = await createTestStore();
    await installTestShopSession({ shopDomain: store.shopDomain });
    const eventId = randomUUID();
    // WHEN an uninstall arrives, correctly signed, with a body that is not JSON
    const response = await deliver(
      appUninstalled,
      webhookRequest({
        topic: "app/uninstalled",
        shopDomain: store.shopDomain,
        eventId,
        rawBody: "\u0000{not json",
      }),
    );
    // THEN it is refused as bad input and nothing changes
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: "invalid_payload", message: "The webhook payload is not valid." },
    });
    expect(await getStoreByShop({ shopDomain: store.shopDomain })).toMatchObject({
      status: "active",
    });
    expect(await findInboundWebhookDelivery({ source: "shopify", deliveryId: eventId })).toBeNull();
  });

  it("answers 400 to a signed delivery whose shop domain is malformed", async () => {
    // WHEN a correctly signed uninstall names a shop that cannot be a Shopify domain
    const eventId = randomUUID();
    const response = await deliver(
      appUninstalled,
      webhookRequest({ topic: "app/uninstalled", shopDomain: "!", eventId }),
    );
    // THEN it is refused as bad input, and not recorded
    expect(response.status).toBe(400);
    expect(await findInboundWebhookDelivery({ source: "shopify", deliveryId: eventId })).toBeNull();
  });

  it("applies a replayed event id once: a reinstall in between is not undone", async () => {
    // GIVEN an uninstall that was processed, then a reinstall
    const store = await createTestStore();
    const eventId = randomUUID();
    const first = webhookRequest({
      topic: "app/uninstalled",
      shopDomain: store.shopDomain,
      eventId,
    });
    expect((await deliver(appUninstalled, first)).status).toBe(200);
    await createTestStore({ shopDomain: store.shopDomain, name: store.name });
    await installTestShopSession({ shopDomain: store.shopDomain });
    // WHEN Shopify delivers the same event again
    const replay = webhookRequest({
      topic: "app/uninstalled",
      shopDomain: store.shopDomain,
      eventId,
      webhookId: randomUUID(),
    });
    const response = await deliver(appUninstalled, replay);
    // THEN it is acknowledged and changes nothing
    expect(response.status).toBe(200);
    expect(await getStoreByShop({ shopDomain: store.shopDomain })).toMatchObject({
      status: "active",
      uninstalledAt: null,
    });
    expect(await listSessionsForShop({ shopDomain: store.shopDomain })).toHaveLength(1);
  });

  it("answers 200 for a shop that has no store", async () => {
    const shopDomain = uniqueShopDomain();
    const response = await deliver(
      appUninstalled,
      webhookRequest({ topic: "app/uninstalled", shopDomain }),
    );
    expect(response.status).toBe(200);
    expect(await getStoreByShop({ shopDomain })).toBeNull();
  });
});

describe("app/scopes_update", () => {
  it("records the granted scopes on the shop's session", async () => {
    const shopDomain = uniqueShopDomain();
    await installTestShopSession({ shopDomain, scope: "" });
    const response = await deliver(
      scopesUpdate,
      webhookRequest({
        topic: "app/scopes_update",
        shopDomain,
        payload: { id: 1, previous: [], current: ["read_products"], updated_at: "2026-11-21" },
      }),
    );
    expect(response.status).toBe(200);
    const [session] = await listSessionsForShop({ shopDomain });
    expect(session?.scope).toBe("read_products");
  });

  it("answers 400 to a payload without the current scopes and changes nothing", async () => {
    const shopDomain = uniqueShopDomain();
    await installTestShopSession({ shopDomain, scope: "read_orders" });
    const eventId = randomUUID();
    const response = await deliver(
      scopesUpdate,
      webhookRequest({
        topic: "app/scopes_update",
        shopDomain,
        eventId,
        payload: { current: "read_products" },
      }),
    );
    expect(response.status).toBe(400);
    expect((await listSessionsForShop({ shopDomain }))[0]?.scope).toBe("read_orders");
    expect(await findInboundWebhookDelivery({ source: "shopify", deliveryId: eventId })).toBeNull();
  });
});

describe("customers/data_request and customers/redact", () => {
  it.each([
    ["customers/data_request", customersDataRequest],
    ["customers/redact", customersRedact],
  ] as const)("%s is answered 200 and recorded", async (topic, action) => {
    const store = await createTestStore();
    const eventId = randomUUID();
    const response = await deliver(
      action,
      webhookRequest({
        topic,
        shopDomain: store.shopDomain,
        eventId,
        payload: { shop_domain: store.shopDomain, customer: { id: 42, email: "c@example.com" } },
      }),
    );
    expect(response.status).toBe(200);
    expect(
      await findInboundWebhookDelivery({ source: "shopify", deliveryId: eventId }),
    ).toMatchObject({
      shopDomain: store.shopDomain,
    });
    expect(await getStoreByShop({ shopDomain: store.shopDomain })).toMatchObject({
      status: "active",
    });
  });
});

describe("shop/redact", () => {
  it("deletes every row of the shop and nothing of another shop", async () => {
    // GIVEN two shops, each with a store, sessions, referrals, daily stats, a key and a delivery
    const redacted = await installedShopWithHistory();
    const other = await installedShopWithHistory();
    const otherBefore = await shopRows(other.shopDomain);
    expect((await shopRows(redacted.shopDomain)).referrals).toBe(3);
    // WHEN Shopify asks to erase the first shop
    const eventId = randomUUID();
    const response = await deliver(
      shopRedact,
      webhookRequest({
        topic: "shop/redact",
        shopDomain: redacted.shopDomain,
        eventId,
        payload: { shop_id: 1, shop_domain: redacted.shopDomain },
      }),
    );
    // THEN nothing of it is left, and the other shop is as it was
    expect(response.status).toBe(200);
    expect(await shopRows(redacted.shopDomain)).toEqual({
      store: null,
      referrals: 0,
      dailyStats: 0,
      apiKeys: 0,
      sessions: 0,
      deliveries: 0,
    });
    expect(
      await db.prisma.storeReferral.count({ where: { referralCode: redacted.referralCode } }),
    ).toBe(0);
    expect(await shopRows(other.shopDomain)).toEqual(otherBefore);
    // The redact request itself is kept, without the shop's domain, so a replay stays a no-op.
    expect(
      await findInboundWebhookDelivery({ source: "shopify", deliveryId: eventId }),
    ).toMatchObject({
      shopDomain: null,
    });
  });

  it("acknowledges a replay of the redact request and changes nothing", async () => {
    const store = await createTestStore();
    const eventId = randomUUID();
    const redact = () =>
      webhookRequest({ topic: "shop/redact", shopDomain: store.shopDomain, eventId });
    expect((await deliver(shopRedact, redact())).status).toBe(200);
    // A new install after the redact (a new store) must survive the replay.
    const reinstalled = await createTestStore({ shopDomain: store.shopDomain });
    expect((await deliver(shopRedact, redact())).status).toBe(200);
    expect(await getStoreByShop({ shopDomain: store.shopDomain })).toMatchObject({
      id: reinstalled.id,
    });
  });

  it("refuses a forged redact with 401 and deletes nothing", async () => {
    const store = await installedShopWithHistory();
    const before = await shopRows(store.shopDomain);
    const response = await deliver(
      shopRedact,
      webhookRequest({ topic: "shop/redact", shopDomain: store.shopDomain, secret: "forged" }),
    );
    expect(response.status).toBe(401);
    expect(await shopRows(store.shopDomain)).toEqual(before);
  });
});

describe("the shop a signed payload names (X-Shopify-Shop-Domain is not signed)", () => {
  /** Shop X's signed body, re-sent with shop Y's header and a fresh event id. */
  async function swapped(
    topic: ShopifyWebhookTopic,
    signedFor: string,
    header: string,
    eventId: string,
  ) {
    const genuine = webhookRequest({ topic, shopDomain: signedFor });
    const headers = new Headers(genuine.headers);
    headers.set("x-shopify-shop-domain", header);
    headers.set("x-shopify-event-id", eventId);
    return new Request(genuine.url, { method: "POST", headers, body: await genuine.text() });
  }

  it.each([
    ["app/uninstalled", appUninstalled],
    ["shop/redact", shopRedact],
  ] as const)(
    "%s: refuses shop X's signed body sent with shop Y's header and leaves Y as it was",
    async (topic, action) => {
      // GIVEN shop Y installed with history, and a body Shopify signed for shop X
      const shopX = await createTestStore();
      const shopY = await installedShopWithHistory();
      const before = await shopRows(shopY.shopDomain);
      const warn = vi.spyOn(console, "warn");
      const eventId = randomUUID();
      // WHEN it is delivered with Y's X-Shopify-Shop-Domain and a fresh event id
      const response = await deliver(
        action,
        await swapped(topic, shopX.shopDomain, shopY.shopDomain, eventId),
      );
      // THEN it is refused in the error shape, nothing is applied or recorded, and it is logged
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: "shop_mismatch" } });
      expect(await shopRows(shopY.shopDomain)).toEqual(before);
      expect(await getStoreByShop({ shopDomain: shopX.shopDomain })).toMatchObject({
        status: "active",
      });
      expect(
        await findInboundWebhookDelivery({ source: "shopify", deliveryId: eventId }),
      ).toBeNull();
      const logged = warn.mock.calls.map(([line]) => JSON.parse(String(line)) as object);
      expect(logged).toContainEqual(
        expect.objectContaining({
          event: "shopify_webhook.shop_mismatch",
          headerShopDomain: shopY.shopDomain,
          payloadShopDomain: shopX.shopDomain,
        }),
      );
      warn.mockRestore();
    },
  );

  it("refuses a signed body that names no shop (another topic's) on a route whose payload names one", async () => {
    // GIVEN shop Y installed, and a signed app/scopes_update body (which names no shop)
    const shopY = await createTestStore();
    await installTestShopSession({ shopDomain: shopY.shopDomain });
    const eventId = randomUUID();
    // WHEN it is posted to /webhooks/app/uninstalled with Y's header
    const response = await deliver(
      appUninstalled,
      webhookRequest({
        topic: "app/uninstalled",
        shopDomain: shopY.shopDomain,
        eventId,
        payload: { id: 1, previous: [], current: ["read_products"], updated_at: "2026-11-21" },
      }),
    );
    // THEN it is refused and Y stays installed
    expect(response.status).toBe(401);
    expect(await getStoreByShop({ shopDomain: shopY.shopDomain })).toMatchObject({
      status: "active",
    });
    expect(await listSessionsForShop({ shopDomain: shopY.shopDomain })).toHaveLength(1);
    expect(await findInboundWebhookDelivery({ source: "shopify", deliveryId: eventId })).toBeNull();
  });

  it("applies a body whose shop matches the header, whatever the case of the domain", async () => {
    // GIVEN an installed store
    const store = await createTestStore();
    await installTestShopSession({ shopDomain: store.shopDomain });
    // WHEN Shopify reports its uninstall, the payload naming the same shop
    const response = await deliver(
      appUninstalled,
      webhookRequest({
        topic: "app/uninstalled",
        shopDomain: store.shopDomain,
        payload: {
          id: 1,
          myshopify_domain: store.shopDomain.toUpperCase(),
          domain: "shop.example",
        },
      }),
    );
    // THEN it is applied
    expect(response.status).toBe(200);
    expect(await getStoreByShop({ shopDomain: store.shopDomain })).toMatchObject({
      status: "deactivated",
    });
  });
});

describe("bodies past the limit (256 KB)", () => {
  function chunkedDelivery(shopDomain: string, eventId: string) {
    // 4 MB streamed in 64 KB chunks with no Content-Length, as a chunked POST arrives.
    let chunks = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (chunks++ === 64) return controller.close();
        controller.enqueue(new Uint8Array(64 * 1024).fill(32));
      },
    });
    const signed = webhookRequest({ topic: "app/uninstalled", shopDomain, eventId });
    const headers = new Headers(signed.headers);
    headers.delete("content-length");
    const request = new Request(new URL("/webhooks/app/uninstalled", getEnv().SHOPIFY_APP_URL), {
      method: "POST",
      body,
      duplex: "half",
      headers,
    } as RequestInit);
    return { request, chunksPulled: () => chunks };
  }

  it("answers 413 to a chunked body past 256 KB before checking anything, and changes nothing", async () => {
    // GIVEN an installed store
    const store = await createTestStore();
    await installTestShopSession({ shopDomain: store.shopDomain });
    const eventId = randomUUID();
    const { request, chunksPulled } = chunkedDelivery(store.shopDomain, eventId);
    // WHEN a 4 MB chunked body arrives at the uninstall webhook
    const response = await deliver(appUninstalled, request);
    // THEN 413 in the error shape with Connection: close, after reading only about 256 KB
    expect(response.status).toBe(413);
    expect(response.headers.get("connection")).toBe("close");
    expect(await response.json()).toMatchObject({ error: { code: "payload_too_large" } });
    expect(chunksPulled()).toBeLessThan(20);
    expect(await getStoreByShop({ shopDomain: store.shopDomain })).toMatchObject({
      status: "active",
    });
    expect(await findInboundWebhookDelivery({ source: "shopify", deliveryId: eventId })).toBeNull();
  });

  it("answers 413 to a declared Content-Length past 256 KB", async () => {
    const store = await createTestStore();
    const signed = webhookRequest({ topic: "shop/redact", shopDomain: store.shopDomain });
    const headers = new Headers(signed.headers);
    headers.set("content-length", String(2 * 1024 * 1024));
    const response = await deliver(
      shopRedact,
      new Request(signed.url, { method: "POST", headers, body: await signed.text() }),
    );
    expect(response.status).toBe(413);
    expect(await getStoreByShop({ shopDomain: store.shopDomain })).not.toBeNull();
  });
});
