// The operator command's core, against the real database.
import { describe, expect, it } from "vitest";

import { runStoresCommand } from "~/cli/stores.server";
import { changeStoreStatus, getStoreByShop, markStoreUninstalled } from "~/models/store.server";
import { createTestStore, uniqueShopDomain } from "~/test/builders";

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runStoresCommand(argv, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("npm run stores", () => {
  it("suspends a store with the reason the partner will see", async () => {
    const store = await createTestStore();
    const result = await run("suspend", store.shopDomain, "--reason", "Unpaid invoices");
    expect(result).toMatchObject({ code: 0, err: "" });
    expect(result.out).toContain(`Suspended ${store.shopDomain}`);
    expect(await getStoreByShop({ shopDomain: store.shopDomain })).toMatchObject({
      status: "suspended",
      statusReason: "Unpaid invoices",
    });
  });

  it("accepts the shop's handle for its domain", async () => {
    const store = await createTestStore();
    const handle = store.shopDomain.replace(".myshopify.com", "");
    expect((await run("suspend", handle)).code).toBe(0);
    expect((await getStoreByShop({ shopDomain: store.shopDomain }))?.status).toBe("suspended");
  });

  it("reactivates a suspended store and clears the reason", async () => {
    const store = await createTestStore();
    await run("suspend", store.shopDomain, "--reason", "Audit");
    const result = await run("reactivate", store.shopDomain);
    expect(result.code).toBe(0);
    expect(await getStoreByShop({ shopDomain: store.shopDomain })).toMatchObject({
      status: "active",
      statusReason: null,
    });
  });

  it("lists stores with their status, code and reason, filtered by status", async () => {
    const suspended = await createTestStore();
    const active = await createTestStore();
    await run("suspend", suspended.shopDomain, "--reason", "Claims review");
    const all = await run("list");
    expect(all.code).toBe(0);
    expect(all.out).toContain(active.shopDomain);
    const onlySuspended = await run("list", "--status", "suspended");
    const line = onlySuspended.out
      .split("\n")
      .find((entry) => entry.includes(suspended.shopDomain));
    expect(line).toContain("suspended");
    expect(line).toContain(suspended.referralCode);
    expect(line).toContain("reason: Claims review");
    expect(onlySuspended.out).not.toContain(active.shopDomain);
  });

  it("fails with exit code 1 for an unknown shop and changes nothing", async () => {
    const shopDomain = uniqueShopDomain();
    const result = await run("suspend", shopDomain);
    expect(result).toMatchObject({ code: 1, out: "" });
    expect(result.err).toBe(`No store for the shop ${shopDomain}.`);
    expect(await getStoreByShop({ shopDomain })).toBeNull();
  });

  it("refuses a transition the lifecycle does not allow (exit 1)", async () => {
    // GIVEN an uninstalled (deactivated) store
    const store = await createTestStore();
    await changeStoreStatus({
      shopDomain: store.shopDomain,
      to: "deactivated",
      actor: "uninstall",
    });
    // WHEN an operator tries to reactivate or suspend it
    const reactivate = await run("reactivate", store.shopDomain);
    const suspend = await run("suspend", store.shopDomain);
    // THEN both are refused and the store stays deactivated
    expect(reactivate.code).toBe(1);
    expect(reactivate.err).toContain("Refused: the store is deactivated");
    expect(suspend.code).toBe(1);
    expect((await getStoreByShop({ shopDomain: store.shopDomain }))?.status).toBe("deactivated");
  });

  it("refuses to lift the suspension of a store whose shop uninstalled the app", async () => {
    const store = await createTestStore();
    await run("suspend", store.shopDomain);
    await markStoreUninstalled({ shopDomain: store.shopDomain });
    const result = await run("reactivate", store.shopDomain);
    expect(result.code).toBe(1);
    expect(result.err).toContain("uninstalled the app");
    expect((await getStoreByShop({ shopDomain: store.shopDomain }))?.status).toBe("suspended");
  });

  it.each([
    [["frobnicate"], "Unknown command"],
    [["suspend"], "Name the shop."],
    [["suspend", "not a shop!"], "is not a shop domain"],
    [["suspend", "chen", "--reason", " "], "the reason is empty"],
    [["list", "--status", "gone"], "--status must be one of"],
    [["list", "--colour"], "Unknown option"],
  ])("answers %j with the usage and exit code 2", async (argv, message) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
    expect(result.err).toContain("Usage: npm run stores");
  });
});
