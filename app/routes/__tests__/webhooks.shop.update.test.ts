// shop/update: the store follows the shop's time zone, once per delivery, and a zone the app
// cannot use changes nothing (never a 500).
import { describe, expect, it } from "vitest";

import { getStoreByShop } from "~/models/store.server";
import { action as shopUpdate } from "~/routes/webhooks.shop.update";
import { createTestStore } from "~/test/builders";
import { capturedLogs, loggedWarnings } from "~/test/logs";
import { deliverWebhook, webhookRequest } from "~/test/shopify";

const deliver = deliverWebhook;

function shopUpdateRequest(shopDomain: string, payload: Record<string, unknown>, eventId?: string) {
  return webhookRequest({
    topic: "shop/update",
    shopDomain,
    payload: { id: 1, myshopify_domain: shopDomain, ...payload },
    eventId,
  });
}

describe("shop/update", () => {
  it("sets the store's zone and records the change (the zone before, and when)", async () => {
    // GIVEN a store on UTC
    const store = await createTestStore();
    // WHEN Shopify reports the shop's zone
    const response = await deliver(
      shopUpdate,
      shopUpdateRequest(store.shopDomain, { iana_timezone: "America/Los_Angeles" }),
    );
    // THEN the store is on that zone, and the change is recorded
    expect(response.status).toBe(200);
    const after = await getStoreByShop({ shopDomain: store.shopDomain });
    expect(after).toMatchObject({ timeZone: "America/Los_Angeles", previousTimeZone: "UTC" });
    expect(after?.timeZoneChangedAt).toBeInstanceOf(Date);
    expect(after?.timeZoneReadAt).toBeInstanceOf(Date);
  });

  it("applies a delivery once: a replay of the same event changes nothing", async () => {
    // GIVEN a store that moved to Kolkata, then to Kathmandu
    const store = await createTestStore();
    const first = shopUpdateRequest(store.shopDomain, { iana_timezone: "Asia/Kolkata" }, "ev-1");
    const replay = shopUpdateRequest(store.shopDomain, { iana_timezone: "Asia/Kolkata" }, "ev-1");
    await deliver(shopUpdate, first);
    await deliver(
      shopUpdate,
      shopUpdateRequest(store.shopDomain, { iana_timezone: "Asia/Kathmandu" }),
    );
    // WHEN the first delivery is replayed
    const response = await deliver(shopUpdate, replay);
    // THEN it is acknowledged and the zone stays the later one
    expect(response.status).toBe(200);
    expect(await getStoreByShop({ shopDomain: store.shopDomain })).toMatchObject({
      timeZone: "Asia/Kathmandu",
      previousTimeZone: "Asia/Kolkata",
    });
  });

  it("ignores a delivery older than what the store knows (Shopify does not deliver in order)", async () => {
    // GIVEN a store whose shop moved to Tokyo, then (later) to Sydney
    const store = await createTestStore();
    const inAnHour = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
    const tokyo = { iana_timezone: "Asia/Tokyo", updated_at: inAnHour(30) };
    const sydney = { iana_timezone: "Australia/Sydney", updated_at: inAnHour(60) };
    // WHEN the later change is delivered first, then the earlier one
    await deliver(shopUpdate, shopUpdateRequest(store.shopDomain, sydney));
    const response = await deliver(shopUpdate, shopUpdateRequest(store.shopDomain, tokyo));
    // THEN the earlier one is acknowledged and changes nothing
    expect(response.status).toBe(200);
    const after = await getStoreByShop({ shopDomain: store.shopDomain });
    expect(after).toMatchObject({ timeZone: "Australia/Sydney", previousTimeZone: "UTC" });
    expect(after?.timeZoneReadAt?.toISOString()).toBe(sydney.updated_at);
  });

  it("ignores a delivery from before the install's own read of the zone", async () => {
    const store = await createTestStore();
    await deliver(
      shopUpdate,
      shopUpdateRequest(store.shopDomain, {
        iana_timezone: "Asia/Tokyo",
        updated_at: "2020-01-01T00:00:00-05:00",
      }),
    );
    expect(await getStoreByShop({ shopDomain: store.shopDomain })).toMatchObject({
      timeZone: store.timeZone,
    });
  });

  it.each(["0000-01-01T00:00:00Z", "99999-01-01T00:00:00Z", "yesterday", "\u0000", 42])(
    "applies a zone whose updated_at is %j as of now (never a 500)",
    async (updatedAt) => {
      const store = await createTestStore();
      const response = await deliver(
        shopUpdate,
        shopUpdateRequest(store.shopDomain, {
          iana_timezone: "Europe/Lisbon",
          updated_at: updatedAt,
        }),
      );
      expect(response.status).toBe(200);
      expect(await getStoreByShop({ shopDomain: store.shopDomain })).toMatchObject({
        timeZone: "Europe/Lisbon",
      });
    },
  );

  it("keeps the change record when the same zone is reported again", async () => {
    const store = await createTestStore();
    await deliver(
      shopUpdate,
      shopUpdateRequest(store.shopDomain, { iana_timezone: "Europe/Paris" }),
    );
    const changedAt = (await getStoreByShop({ shopDomain: store.shopDomain }))?.timeZoneChangedAt;
    await deliver(
      shopUpdate,
      shopUpdateRequest(store.shopDomain, { iana_timezone: "Europe/Paris" }),
    );
    expect(await getStoreByShop({ shopDomain: store.shopDomain })).toMatchObject({
      timeZone: "Europe/Paris",
      previousTimeZone: "UTC",
      timeZoneChangedAt: changedAt,
    });
  });

  it.each([
    "../etc",
    "+05:30",
    "utc",
    "Mars/Olympus_Mons",
    "America/New_York\u0000",
    "\ud800",
    "A".repeat(5000),
  ])("acknowledges a zone the app cannot use (%j), logs it and keeps the store's", async (zone) => {
    // GIVEN a store on Europe/Berlin
    const store = await createTestStore();
    await deliver(
      shopUpdate,
      shopUpdateRequest(store.shopDomain, { iana_timezone: "Europe/Berlin" }),
    );
    capturedLogs.length = 0;
    // WHEN Shopify reports an unusable zone
    const response = await deliver(
      shopUpdate,
      shopUpdateRequest(store.shopDomain, { iana_timezone: zone }),
    );
    // THEN 200 (Shopify must not retry it), a warning, and the zone is unchanged
    expect(response.status).toBe(200);
    expect(loggedWarnings().map((entry) => entry.event)).toContain("shop_time_zone.unsupported");
    expect(await getStoreByShop({ shopDomain: store.shopDomain })).toMatchObject({
      timeZone: "Europe/Berlin",
    });
  });

  it("changes nothing without a zone, and refuses a zone that is not a string (400)", async () => {
    const store = await createTestStore();
    expect((await deliver(shopUpdate, shopUpdateRequest(store.shopDomain, {}))).status).toBe(200);
    const refused = await deliver(
      shopUpdate,
      shopUpdateRequest(store.shopDomain, { iana_timezone: { zone: "UTC" } }),
    );
    expect(refused.status).toBe(400);
    expect(await getStoreByShop({ shopDomain: store.shopDomain })).toMatchObject({
      timeZone: "UTC",
      previousTimeZone: null,
    });
  });

  it("refuses a signed body that names another shop than the header (401)", async () => {
    const store = await createTestStore();
    const other = await createTestStore();
    const response = await deliver(
      shopUpdate,
      webhookRequest({
        topic: "shop/update",
        shopDomain: store.shopDomain,
        payload: { myshopify_domain: other.shopDomain, iana_timezone: "Asia/Tokyo" },
      }),
    );
    expect(response.status).toBe(401);
    expect(await getStoreByShop({ shopDomain: store.shopDomain })).toMatchObject({
      timeZone: "UTC",
    });
  });
});
