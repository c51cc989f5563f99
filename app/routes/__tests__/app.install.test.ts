// Install: the first admin request of a shop without a session makes the real token exchange
// (answered by the loopback Admin API fake), then afterAuth registers the shop.
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";

import { db } from "~/db.server";
import { shutdownAnalytics } from "~/lib/analytics/posthog.server";
import { ownerEmailFingerprint } from "~/lib/signup/checks/self-referral.server";
import { deleteSessionsForShop, listSessionsForShop } from "~/models/session.server";
import { changeStoreStatus, getStoreByShop, markStoreUninstalled } from "~/models/store.server";
import { loader as adminLayoutLoader } from "~/routes/app";
import { uniqueShopDomain } from "~/test/builders";
import { withPostHog } from "~/test/analytics";
import { loggedWarnings, takeLoggedErrors } from "~/test/logs";
import { adminDocumentRequest, adminRequest } from "~/test/shopify";

const shopifyAdmin = await vi.hoisted(async () => {
  const { interceptShopifyAdmin } = await import("~/test/fakes/shopify-admin");
  return interceptShopifyAdmin();
});

afterEach(() => shopifyAdmin.clearFailures());
afterAll(() => shopifyAdmin.close());

async function openAdmin(shopDomain: string) {
  const request = await adminDocumentRequest("/app", { shopDomain });
  try {
    return await adminLayoutLoader({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) throw new Error(`The admin answered ${thrown.status}`);
    throw thrown;
  }
}

describe("install (afterAuth)", () => {
  it("creates one active store named after the shop and publishes its storefront link", async () => {
    // GIVEN a shop that never opened the app
    const shopDomain = uniqueShopDomain("install");
    shopifyAdmin.setShop(shopDomain, {
      name: "Chen Wellness",
      email: "chen@chen-wellness.com",
      contactEmail: "Hello@Gmail.com",
    });
    // WHEN its admin opens the app
    const data = await openAdmin(shopDomain);
    // THEN the token exchange stored a session, and one store exists for the shop
    expect(data.store).toMatchObject({ name: "Chen Wellness", status: "active" });
    expect(await listSessionsForShop({ shopDomain })).toHaveLength(1);
    const store = await getStoreByShop({ shopDomain });
    // AND only the owner's e-mail fingerprint is kept (hashes; the non-public domain), never
    // the addresses
    expect(store).toMatchObject({
      name: "Chen Wellness",
      ownerEmail: null,
      ownerEmailHashes: ownerEmailFingerprint(["chen@chen-wellness.com", "hello@gmail.com"])
        .emailHashes,
      ownerEmailDomains: ["chen-wellness.com"],
    });
    expect(JSON.stringify(store)).not.toMatch(/chen@|hello@/i);
    // AND exactly these Admin API calls were made: token exchange, shop read, metafield write
    const calls = shopifyAdmin.callsFor(shopDomain);
    expect(calls.map((call) => call.operationName ?? call.kind)).toEqual([
      "token_exchange",
      "ShopRegistration",
      "PublishReferralLink",
    ]);
    expect(calls[1]?.accessToken).toBe(shopifyAdmin.accessTokenFor(shopDomain));
    expect(calls[2]?.variables).toEqual({
      metafields: [
        {
          ownerId: "gid://shopify/AppInstallation/1001",
          namespace: "store_referrals",
          key: "referral_code",
          type: "single_line_text_field",
          value: store!.referralCode,
        },
        {
          ownerId: "gid://shopify/AppInstallation/1001",
          namespace: "store_referrals",
          key: "referral_link",
          type: "url",
          value: `https://store-referrals.test/r/${store!.referralCode}?channel=storefront`,
        },
      ],
    });
  });

  it("fires STORE_REGISTERED once, for the install that created the store", async () => {
    await withPostHog(async (posthog) => {
      // GIVEN a shop that installs, then loses its session and authenticates again
      const shopDomain = uniqueShopDomain("event");
      await openAdmin(shopDomain);
      await deleteSessionsForShop({ shopDomain });
      await openAdmin(shopDomain);
      await shutdownAnalytics({ timeoutMs: 2_000 });
      // THEN two token exchanges ran afterAuth twice, and one event was sent
      const exchanges = shopifyAdmin
        .callsFor(shopDomain)
        .filter((c) => c.kind === "token_exchange");
      expect(exchanges).toHaveLength(2);
      const store = await getStoreByShop({ shopDomain });
      const registered = posthog.events.filter((event) => event.distinct_id === shopDomain);
      expect(registered.map((event) => event.event)).toEqual(["STORE_REGISTERED"]);
      expect(registered[0]?.properties).toMatchObject({
        store_id: store!.id,
        referral_code: store!.referralCode,
      });
    });
  });

  it("makes exactly one store, and one STORE_REGISTERED, when 10 first requests arrive in parallel", async () => {
    await withPostHog(async (posthog) => {
      // GIVEN a new shop whose admin sends 10 requests at once, none with a session yet
      const shopDomain = uniqueShopDomain("parallel");
      const requests = await Promise.all(
        Array.from({ length: 10 }, () => adminRequest("/app", { shopDomain })),
      );
      // WHEN they are all authenticated (each one exchanging its token and running afterAuth)
      const results = await Promise.all(
        requests.map((request) => adminLayoutLoader({ request, params: {}, context: {} })),
      );
      await shutdownAnalytics({ timeoutMs: 2_000 });
      // THEN there is one store, every request sees it, and it was registered once
      expect(await db.prisma.store.count({ where: { shopDomain } })).toBe(1);
      expect(results.every((result) => result.store.status === "active")).toBe(true);
      const exchanges = shopifyAdmin
        .callsFor(shopDomain)
        .filter((c) => c.kind === "token_exchange");
      expect(exchanges).toHaveLength(10);
      const events = posthog.events.filter((event) => event.distinct_id === shopDomain);
      expect(events.map((event) => event.event)).toEqual(["STORE_REGISTERED"]);
    });
  });

  it("keeps the referral code when the shop uninstalls and reinstalls", async () => {
    // GIVEN an installed store that was uninstalled (deactivated, sessions gone)
    const shopDomain = uniqueShopDomain("reinstall");
    await openAdmin(shopDomain);
    const installed = await getStoreByShop({ shopDomain });
    await changeStoreStatus({ shopDomain, to: "deactivated", actor: "uninstall" });
    await deleteSessionsForShop({ shopDomain });
    // WHEN the shop installs the app again
    const data = await openAdmin(shopDomain);
    // THEN the same store is active again with the same code
    expect(data.store.status).toBe("active");
    const reinstalled = await getStoreByShop({ shopDomain });
    expect(reinstalled).toMatchObject({
      id: installed!.id,
      referralCode: installed!.referralCode,
      status: "active",
      uninstalledAt: null,
    });
  });

  it("never lifts a suspension on reinstall, but records that the app is installed again", async () => {
    // GIVEN a suspended store whose shop uninstalled the app
    const shopDomain = uniqueShopDomain("suspended");
    await openAdmin(shopDomain);
    await changeStoreStatus({ shopDomain, to: "suspended", actor: "operator", reason: "Audit" });
    await markStoreUninstalled({ shopDomain });
    await deleteSessionsForShop({ shopDomain });
    // WHEN the shop installs the app again
    const data = await openAdmin(shopDomain);
    // THEN it is still suspended, no longer marked uninstalled
    expect(data.store).toMatchObject({ status: "suspended", statusReason: "Audit" });
    expect((await getStoreByShop({ shopDomain }))?.uninstalledAt).toBeNull();
  });

  it("completes the install, with the store, when the metafield write fails (and logs it)", async () => {
    // GIVEN Shopify refuses the metafield write
    const shopDomain = uniqueShopDomain("metafield");
    shopifyAdmin.failOperation(shopDomain, "PublishReferralLink", "user_errors");
    // WHEN the shop installs
    const data = await openAdmin(shopDomain);
    // THEN the install succeeds, the store exists, and the failure is logged
    expect(data.store.status).toBe("active");
    expect(await getStoreByShop({ shopDomain })).not.toBeNull();
    expect(shopifyAdmin.appMetafields(shopDomain)).toEqual({});
    expect(takeLoggedErrors()).toEqual([
      expect.objectContaining({ event: "shop_registration.metafield_write_failed", shopDomain }),
    ]);
  });

  it("still creates the store, named after the shop's handle, when Shopify cannot be read", async () => {
    const shopDomain = uniqueShopDomain("unreadable");
    shopifyAdmin.failOperation(shopDomain, "ShopRegistration", "http_500");
    const data = await openAdmin(shopDomain);
    expect(data.store).toMatchObject({
      name: shopDomain.replace(".myshopify.com", ""),
      status: "active",
    });
  });
});

describe("the admin layout loader repairs a failed install", () => {
  it("gives a store registered before the owner's e-mail fingerprint existed its fingerprint", async () => {
    // GIVEN an installed store without a fingerprint (its raw e-mail cleared by the migration)
    const shopDomain = uniqueShopDomain("fingerprint");
    shopifyAdmin.setShop(shopDomain, { name: "Old Shop", email: "owner@old-shop.com" });
    await openAdmin(shopDomain);
    await db.prisma.store.update({
      where: { shopDomain },
      data: { ownerEmailHashes: [], ownerEmailDomains: [] },
    });
    // WHEN the partner opens the app again
    await openAdmin(shopDomain);
    // THEN Shopify was read again and the fingerprint is stored, the store otherwise unchanged
    expect(await getStoreByShop({ shopDomain })).toMatchObject({
      status: "active",
      ownerEmailHashes: ownerEmailFingerprint(["owner@old-shop.com"]).emailHashes,
      ownerEmailDomains: ["old-shop.com"],
    });
    takeLoggedErrors();
  });

  it("keeps the shop's IANA time zone, and reads it once for a store registered before", async () => {
    // GIVEN a shop in Kathmandu (UTC+05:45) that installs the app
    const shopDomain = uniqueShopDomain("zone");
    shopifyAdmin.setShop(shopDomain, {
      name: "Himalaya Herbs",
      email: "owner@himalaya.example",
      ianaTimezone: "Asia/Kathmandu",
    });
    await openAdmin(shopDomain);
    // THEN the store is on that zone, read now, and nothing records a change (it is the first)
    expect(await getStoreByShop({ shopDomain })).toMatchObject({
      timeZone: "Asia/Kathmandu",
      previousTimeZone: null,
      timeZoneChangedAt: null,
      timeZoneReadAt: expect.any(Date),
    });
    // GIVEN the store as registered before the app read zones (UTC, never read)
    await db.prisma.store.update({
      where: { shopDomain },
      data: { timeZone: "UTC", timeZoneReadAt: null },
    });
    // WHEN the partner opens the app, twice
    await openAdmin(shopDomain);
    await openAdmin(shopDomain);
    // THEN the zone was read once more, and the change from UTC is recorded for the admin
    expect(await getStoreByShop({ shopDomain })).toMatchObject({
      timeZone: "Asia/Kathmandu",
      previousTimeZone: "UTC",
      timeZoneChangedAt: expect.any(Date),
    });
    const reads = shopifyAdmin
      .callsFor(shopDomain)
      .filter((call) => call.operationName === "ShopRegistration");
    expect(reads).toHaveLength(2);
    takeLoggedErrors();
  });

  it("installs on UTC, with a warning, when Shopify's zone is not one the app can use", async () => {
    const shopDomain = uniqueShopDomain("badzone");
    shopifyAdmin.setShop(shopDomain, {
      name: "Odd Zone",
      email: "owner@odd.example",
      ianaTimezone: "+05:30",
    });
    const data = await openAdmin(shopDomain);
    expect(data.store.status).toBe("active");
    expect(await getStoreByShop({ shopDomain })).toMatchObject({ timeZone: "UTC" });
    expect(loggedWarnings().map((entry) => entry.event)).toContain("shop_time_zone.unsupported");
  });

  it("registers the shop when its session exists but its store does not", async () => {
    // GIVEN a shop whose install stored a session and then failed before creating the store
    const shopDomain = uniqueShopDomain("repair");
    shopifyAdmin.setShop(shopDomain, { name: "Green Grocer", email: "gg@example.com" });
    await openAdmin(shopDomain);
    await db.prisma.store.delete({ where: { shopDomain } });
    // WHEN the partner opens the app again (no new token exchange: the session is valid)
    const data = await openAdmin(shopDomain);
    // THEN the store exists again, read from Shopify
    expect(data.store).toMatchObject({ name: "Green Grocer", status: "active" });
    expect(
      shopifyAdmin.callsFor(shopDomain).filter((call) => call.kind === "token_exchange"),
    ).toHaveLength(1);
  });

  it("reactivates a store deactivated by a late uninstall webhook while the app is installed", async () => {
    const shopDomain = uniqueShopDomain("late-webhook");
    await openAdmin(shopDomain);
    const before = await getStoreByShop({ shopDomain });
    await changeStoreStatus({ shopDomain, to: "deactivated", actor: "uninstall" });
    const data = await openAdmin(shopDomain);
    expect(data.store.status).toBe("active");
    expect((await getStoreByShop({ shopDomain }))?.referralCode).toBe(before!.referralCode);
  });
});
