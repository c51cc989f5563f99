// Settings: store name and category, the storefront block's link, and shop isolation.
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";

import * as storeModel from "~/models/store.server";
import { changeStoreStatus, getStoreByShop } from "~/models/store.server";
import { loader as layoutLoader } from "~/routes/app";
import { action, loader } from "~/routes/app.settings";
import { takeLoggedErrors } from "~/test/logs";
import { callRoute, createInstalledTestStore, loadData } from "~/test/routes";
import { adminFormRequest, adminRequest } from "~/test/shopify";
import { loggedWarnings } from "~/test/logs";
import { countedChunkedBody, NOT_A_FORM, postToAdminAction, withStreamedBody } from "~/test/bodies";

const shopifyAdmin = await vi.hoisted(async () => {
  const { interceptShopifyAdmin } = await import("~/test/fakes/shopify-admin");
  return interceptShopifyAdmin();
});
afterEach(() => shopifyAdmin.clearFailures());
afterAll(() => shopifyAdmin.close());

async function submitSettings(shopDomain: string, fields: Record<string, string>) {
  return callRoute(action, await adminFormRequest("/app/settings", { shopDomain, fields }));
}

describe("settings: store", () => {
  it("saves the store's name and category", async () => {
    const store = await createInstalledTestStore();
    const result = await submitSettings(store.shopDomain, {
      intent: "update_store",
      name: "  Chen Wellness Downtown ",
      category: "health_food",
    });
    expect(result).toEqual({ ok: true, message: "Store settings saved" });
    expect(await getStoreByShop({ shopDomain: store.shopDomain })).toMatchObject({
      name: "Chen Wellness Downtown",
      category: "health_food",
      referralCode: store.referralCode,
    });
  });

  it.each([
    ["an empty name", { name: " ", category: "pharmacy" }, "name"],
    ["an unknown category", { name: "Fine", category: "casino" }, "category"],
  ])("answers 400 to %s and changes nothing", async (_label, fields, field) => {
    const store = await createInstalledTestStore();
    const response = await submitSettings(store.shopDomain, { intent: "update_store", ...fields });
    expect(response).toBeInstanceOf(Response);
    expect((response as Response).status).toBe(400);
    expect(await (response as Response).json()).toMatchObject({
      ok: false,
      fieldErrors: { [field]: expect.any(String) },
    });
    expect(await getStoreByShop({ shopDomain: store.shopDomain })).toMatchObject({
      name: store.name,
      category: store.category,
    });
  });

  it("answers 400 to an unknown intent", async () => {
    const store = await createInstalledTestStore();
    const response = await submitSettings(store.shopDomain, { intent: "suspend" });
    expect((response as Response).status).toBe(400);
  });

  it("lets shop A change its own store only, whatever the form names", async () => {
    // GIVEN two stores
    const storeA = await createInstalledTestStore();
    const storeB = await createInstalledTestStore();
    // WHEN shop A's session posts a form naming shop B
    await submitSettings(storeA.shopDomain, {
      intent: "update_store",
      name: "Renamed by A",
      category: "fitness",
      shopDomain: storeB.shopDomain,
      storeId: String(storeB.id),
    });
    // THEN A changed and B did not
    expect((await getStoreByShop({ shopDomain: storeA.shopDomain }))?.name).toBe("Renamed by A");
    expect(await getStoreByShop({ shopDomain: storeB.shopDomain })).toMatchObject({
      name: storeB.name,
      category: storeB.category,
    });
  });
});

describe("settings: storefront block", () => {
  it("reports a missing block link and publishes it on request", async () => {
    // GIVEN a store whose metafield was never written
    const store = await createInstalledTestStore();
    const before = await loadData(
      loader,
      await adminRequest("/app/settings", { shopDomain: store.shopDomain }),
    );
    expect(before.storefrontBlock).toBe("missing");
    // WHEN the partner publishes the link
    const result = await submitSettings(store.shopDomain, { intent: "publish_storefront_link" });
    // THEN the app-data metafields hold the code and the storefront link
    expect(result).toEqual({ ok: true, message: "Storefront block updated" });
    const storefrontLink = `https://store-referrals.test/r/${store.referralCode}?channel=storefront`;
    expect(shopifyAdmin.appMetafields(store.shopDomain)).toEqual({
      "store_referrals.referral_code": store.referralCode,
      "store_referrals.referral_link": storefrontLink,
    });
    const after = await loadData(
      loader,
      await adminRequest("/app/settings", { shopDomain: store.shopDomain }),
    );
    expect(after).toMatchObject({ storefrontBlock: "published", storefrontLink });
  });

  it("shows the page with an unknown block status when Shopify cannot be read", async () => {
    const store = await createInstalledTestStore();
    shopifyAdmin.failOperation(store.shopDomain, "StorefrontBlockStatus", "http_500");
    const data = await loadData(
      loader,
      await adminRequest("/app/settings", { shopDomain: store.shopDomain }),
    );
    expect(data.storefrontBlock).toBe("unknown");
    expect(data.store.name).toBe(store.name);
    // (the failure is logged as the warning this test expects)
    expect(loggedWarnings()).toContainEqual(
      expect.objectContaining({
        event: "settings.storefront_link_read_failed",
        shopDomain: store.shopDomain,
      }),
    );
  });

  it("answers 502 and logs it when Shopify refuses the metafield write", async () => {
    const store = await createInstalledTestStore();
    shopifyAdmin.failOperation(store.shopDomain, "PublishReferralLink", "user_errors");
    const response = await submitSettings(store.shopDomain, { intent: "publish_storefront_link" });
    expect((response as Response).status).toBe(502);
    expect(takeLoggedErrors()).toEqual([
      expect.objectContaining({ event: "shop_registration.metafield_write_failed" }),
    ]);
  });
});

describe("store status in the admin", () => {
  it("gives a suspended store's partner the status and the operator's reason", async () => {
    const store = await createInstalledTestStore();
    await changeStoreStatus({
      shopDomain: store.shopDomain,
      to: "suspended",
      actor: "operator",
      reason: "Product claims under review",
    });
    const layout = await loadData(
      layoutLoader,
      await adminRequest("/app", { shopDomain: store.shopDomain }),
    );
    expect(layout.store).toMatchObject({
      status: "suspended",
      statusReason: "Product claims under review",
    });
    const settings = await loadData(
      loader,
      await adminRequest("/app/settings", { shopDomain: store.shopDomain }),
    );
    expect(settings.store.status).toBe("suspended");
  });

  it("reactivates a deactivated store with its name and code even when Shopify cannot be read", async () => {
    // GIVEN a deactivated store whose shop Shopify cannot read right now
    const store = await createInstalledTestStore({ name: "Chen Wellness" });
    await changeStoreStatus({
      shopDomain: store.shopDomain,
      to: "deactivated",
      actor: "uninstall",
    });
    shopifyAdmin.failOperation(store.shopDomain, "ShopRegistration", "http_500");
    // WHEN the partner opens the admin (the app is installed: the session is valid)
    const layout = await loadData(
      layoutLoader,
      await adminRequest("/app", { shopDomain: store.shopDomain }),
    );
    // THEN the store is active again, as it was
    expect(layout.store).toMatchObject({ status: "active", name: "Chen Wellness" });
    expect((await getStoreByShop({ shopDomain: store.shopDomain }))?.referralCode).toBe(
      store.referralCode,
    );
  });

  it("shows a deactivated store as deactivated when it cannot be reactivated, not an error page", async () => {
    // GIVEN a deactivated store, and a database that refuses to reactivate it just now
    const store = await createInstalledTestStore();
    await changeStoreStatus({
      shopDomain: store.shopDomain,
      to: "deactivated",
      actor: "uninstall",
    });
    vi.spyOn(storeModel, "ensureStoreForShop").mockRejectedValueOnce(new Error("connection reset"));
    // WHEN the partner opens the admin
    const layout = await loadData(
      layoutLoader,
      await adminRequest("/app", { shopDomain: store.shopDomain }),
    );
    // THEN the page shows the deactivated store, and the failure is logged
    expect(layout.store.status).toBe("deactivated");
    expect(takeLoggedErrors()).toEqual([
      expect.objectContaining({ event: "shop_registration.repair_failed" }),
    ]);
  });
});

describe("settings action: bodies that are not a form", () => {
  it.each(NOT_A_FORM)(
    "answers %s with %i in the error shape and changes nothing",
    async (contentType, body, status) => {
      // GIVEN an installed shop's admin
      const store = await createInstalledTestStore();
      // WHEN it posts a body that is not a well-formed form
      const response = await postToAdminAction(action, "/app/settings", {
        shopDomain: store.shopDomain,
        contentType,
        body,
      });
      // THEN a 4xx in the one error shape, never a 500
      expect(response.status).toBe(status);
      expect(await response.json()).toHaveProperty("error.code");
      expect(await getStoreByShop({ shopDomain: store.shopDomain })).toMatchObject({
        name: store.name,
      });
    },
  );

  it("answers 413 to a chunked form past 64 KB", async () => {
    const store = await createInstalledTestStore();
    const { body, pulled } = countedChunkedBody();
    const request = await adminRequest("/app/settings", {
      shopDomain: store.shopDomain,
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    const response = (await callRoute(action, withStreamedBody(request, body))) as Response;
    expect(response.status).toBe(413);
    expect(pulled.count).toBeLessThan(10);
  });
});
