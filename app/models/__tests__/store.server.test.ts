import { describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { changeStoreStatus, ensureStoreForShop, getStoreByShop } from "~/models/store.server";
import { StoreStatusTransitionError } from "~/models/store-status";
import { uniqueShopDomain } from "~/test/builders";

const STORE_CODE_SHAPE = /^store-[a-z0-9-]{1,12}-[0-9a-f]{4}$/;

describe("ensureStoreForShop", () => {
  it("creates an active store with a store referral code on the first install", async () => {
    // GIVEN a shop that never installed the app
    const shopDomain = uniqueShopDomain("chen");
    // WHEN it installs
    const { store, created } = await ensureStoreForShop({
      shopDomain,
      name: "Chen Wellness",
      ownerFingerprint: { emailHashes: ["hash-of-chen"], emailDomains: ["chen.example"] },
    });
    // THEN one active store exists with a code of the seeds' format
    expect(created).toBe(true);
    expect(store.status).toBe("active");
    expect(store.referralCode).toMatch(STORE_CODE_SHAPE);
    expect(store.referralCode.startsWith("store-chen-wellnes-")).toBe(true);
    expect(store).toMatchObject({
      ownerEmail: null,
      ownerEmailHashes: ["hash-of-chen"],
      ownerEmailDomains: ["chen.example"],
    });
    const stored = await db.prisma.store.findUniqueOrThrow({
      where: { shopDomain },
    });
    expect(stored).toMatchObject({
      id: store.id,
      referralCode: store.referralCode,
      name: "Chen Wellness",
    });
  });

  it("updates the name on later calls and keeps the code", async () => {
    const shopDomain = uniqueShopDomain();
    const first = await ensureStoreForShop({ shopDomain, name: "Old Name" });
    const second = await ensureStoreForShop({
      shopDomain,
      name: "New Name",
      ownerFingerprint: null,
    });
    expect(second.created).toBe(false);
    expect(second.store.id).toBe(first.store.id);
    expect(second.store.name).toBe("New Name");
    expect(second.store.referralCode).toBe(first.store.referralCode);
  });

  it("makes exactly one store under 20 parallel calls for one shop", async () => {
    const shopDomain = uniqueShopDomain("parallel");
    const results = await Promise.all(
      Array.from({ length: 20 }, () => ensureStoreForShop({ shopDomain, name: "Parallel Foods" })),
    );
    expect(await db.prisma.store.count({ where: { shopDomain } })).toBe(1);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.store.referralCode)).size).toBe(1);
  });

  it("gives shops with the same name distinct slugs and codes", async () => {
    const name = `Vitamin World ${Date.now()}`;
    const stores = [];
    for (let index = 0; index < 7; index++) {
      stores.push((await ensureStoreForShop({ shopDomain: uniqueShopDomain(), name })).store);
    }
    expect(new Set(stores.map((store) => store.slug)).size).toBe(7);
    expect(new Set(stores.map((store) => store.referralCode)).size).toBe(7);
    for (const store of stores) expect(store.referralCode).toMatch(STORE_CODE_SHAPE);
  });

  it("reactivates a deactivated store on reinstall with the SAME code", async () => {
    // GIVEN a store that was uninstalled
    const shopDomain = uniqueShopDomain("reinstall");
    const { store } = await ensureStoreForShop({
      shopDomain,
      name: "Green Grocer",
    });
    const deactivated = await changeStoreStatus({
      shopDomain,
      to: "deactivated",
      actor: "uninstall",
    });
    expect(deactivated.status).toBe("deactivated");
    expect(deactivated.uninstalledAt).toBeInstanceOf(Date);
    // WHEN the shop installs again
    const again = await ensureStoreForShop({
      shopDomain,
      name: "Green Grocer",
    });
    // THEN the printed signage keeps working: same store, same code, active again
    expect(again.created).toBe(false);
    expect(again.store).toMatchObject({
      id: store.id,
      referralCode: store.referralCode,
      status: "active",
      uninstalledAt: null,
    });
  });

  it("never lifts a suspension on reinstall", async () => {
    const shopDomain = uniqueShopDomain("suspended");
    await ensureStoreForShop({ shopDomain, name: "Suspended Supplements" });
    await changeStoreStatus({
      shopDomain,
      to: "suspended",
      actor: "operator",
      reason: "Review",
    });
    const again = await ensureStoreForShop({
      shopDomain,
      name: "Suspended Supplements",
    });
    expect(again.store.status).toBe("suspended");
    expect(again.store.statusReason).toBe("Review");
  });
});

describe("changeStoreStatus", () => {
  it("lets an operator suspend and reactivate a store", async () => {
    const shopDomain = uniqueShopDomain();
    await ensureStoreForShop({ shopDomain, name: "Op Store" });
    const suspended = await changeStoreStatus({
      shopDomain,
      to: "suspended",
      actor: "operator",
      reason: "Unpaid invoice",
    });
    expect(suspended).toMatchObject({
      status: "suspended",
      statusReason: "Unpaid invoice",
    });
    const active = await changeStoreStatus({
      shopDomain,
      to: "active",
      actor: "operator",
    });
    expect(active).toMatchObject({ status: "active", statusReason: null });
  });

  it.each([
    ["active", "pending", "operator"],
    ["active", "active", "install"],
    ["active", "suspended", "uninstall"],
    ["active", "deactivated", "operator"],
  ] as const)("refuses %s → %s by %s and changes nothing", async (_from, to, actor) => {
    const shopDomain = uniqueShopDomain();
    await ensureStoreForShop({ shopDomain, name: "Strict Store" });
    await expect(changeStoreStatus({ shopDomain, to, actor })).rejects.toBeInstanceOf(
      StoreStatusTransitionError,
    );
    expect((await getStoreByShop({ shopDomain }))?.status).toBe("active");
  });

  it("refuses to reactivate a deactivated store except by reinstall", async () => {
    const shopDomain = uniqueShopDomain();
    await ensureStoreForShop({ shopDomain, name: "Gone Store" });
    await changeStoreStatus({
      shopDomain,
      to: "deactivated",
      actor: "uninstall",
    });
    await expect(
      changeStoreStatus({ shopDomain, to: "active", actor: "operator" }),
    ).rejects.toBeInstanceOf(StoreStatusTransitionError);
    expect((await getStoreByShop({ shopDomain }))?.status).toBe("deactivated");
  });
});
