// The operator command's core, against the real database.
import { describe, expect, it } from "vitest";

import { runStoresCommand } from "~/cli/stores.server";
import { db } from "~/db.server";
import { recordReferralSignup } from "~/models/referral-signups.server";
import { getStoreReferralTotals } from "~/models/referral-stats.server";
import { changeStoreStatus, getStoreByShop, markStoreUninstalled } from "~/models/store.server";
import { createTestStore, uniqueShopDomain, uniqueUserId } from "~/test/builders";

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

describe("npm run stores: reviewing flagged sign-ups", () => {
  type TestStore = Awaited<ReturnType<typeof createTestStore>>;

  async function signup(store: TestStore, flagReasons: string[]) {
    const result = await recordReferralSignup({
      referralCode: store.referralCode,
      userId: uniqueUserId(),
      quality: { flagReasons, checksNotRun: [] },
    });
    return result.referralId!;
  }

  const qualified = async (store: TestStore) =>
    (await getStoreReferralTotals({ storeId: store.id })).qualifiedSignups;

  it("lists the flagged sign-ups of one store with their reason codes", async () => {
    // GIVEN two stores with a flagged sign-up each, and a clean one
    const store = await createTestStore();
    const other = await createTestStore();
    const id = await signup(store, ["self_referral_email", "disposable_email"]);
    const otherId = await signup(other, ["signup_burst"]);
    await signup(store, []);
    // WHEN staff list the first store's flags
    const result = await run("flags", "--store", store.shopDomain);
    // THEN only its flagged sign-up is listed, with its reasons
    expect(result).toMatchObject({ code: 0, err: "" });
    expect(result.out.split("\n")).toHaveLength(1);
    expect(result.out).toContain(id);
    expect(result.out).toContain("reasons: self_referral_email, disposable_email");
    expect(result.out).not.toContain(otherId);
    // AND without --store every store's flags are listed
    const all = await run("flags");
    expect(all.out).toContain(id);
    expect(all.out).toContain(otherId);
  });

  it("approves a flagged sign-up (exit 0); approving it again changes nothing (exit 0)", async () => {
    const store = await createTestStore();
    const id = await signup(store, ["repeat_visitor"]);
    expect(await qualified(store)).toBe(0);
    const first = await run("approve", id);
    expect(first).toMatchObject({ code: 0, err: "" });
    expect(first.out).toContain(`Approved sign-up ${id} (was flagged)`);
    expect(await qualified(store)).toBe(1);
    const second = await run("approve", id.toUpperCase());
    expect(second).toMatchObject({ code: 0, err: "" });
    expect(second.out).toContain("already approved: nothing changed");
    expect(await qualified(store)).toBe(1);
    expect((await run("flags", "--store", store.shopDomain)).out).toBe(
      "No flagged sign-ups awaiting review.",
    );
  });

  it("rejects a flagged sign-up with its reason: it leaves the qualified count", async () => {
    const store = await createTestStore();
    const id = await signup(store, ["disposable_email"]);
    await signup(store, []);
    const result = await run("reject", id, "--reason", "Throwaway address, no activity");
    expect(result.code).toBe(0);
    expect(await getStoreReferralTotals({ storeId: store.id })).toMatchObject({
      totalSignups: 2,
      flaggedSignups: 0,
      rejectedSignups: 1,
      qualifiedSignups: 1,
    });
    expect((await run("flags", "--store", store.shopDomain, "--all")).out).toContain(
      "note: Throwaway address, no activity",
    );
  });

  it("refuses to reject a sign-up no check flagged (exit 1) and changes nothing", async () => {
    const store = await createTestStore();
    const id = await signup(store, []);
    const result = await run("reject", id, "--reason", "Suspicious");
    expect(result).toMatchObject({ code: 1, out: "" });
    expect(result.err).toContain("was not flagged by a check");
    expect(await db.prisma.storeReferral.findUniqueOrThrow({ where: { id } })).toMatchObject({
      review: null,
      reviewNote: null,
    });
    expect(await qualified(store)).toBe(1);
  });

  it("answers an unknown sign-up id with exit code 1", async () => {
    const result = await run("approve", "01939b4e-0000-7000-8000-000000000000");
    expect(result).toMatchObject({ code: 1, out: "" });
    expect(result.err).toBe("No sign-up 01939b4e-0000-7000-8000-000000000000.");
  });

  it("answers an unknown store for flags with exit code 1", async () => {
    const result = await run("flags", "--store", uniqueShopDomain());
    expect(result.code).toBe(1);
    expect(result.err).toContain("No store for the shop");
  });

  it.each([
    [["approve"], "Name the sign-up"],
    [["approve", "not-an-id"], "is not a sign-up id"],
    [["reject", "01939b4e-0000-7000-8000-000000000000"], "reject needs --reason"],
    [["reject", "01939b4e-0000-7000-8000-000000000000", "--reason", " "], "the reason is empty"],
    [["reject", "01939b4e-0000-7000-8000-000000000000", "--reason", "a\u0000b"], "NUL"],
    [["approve", "01939b4e-0000-7000-8000-000000000000", "--reason", "x"], "takes no --reason"],
    [["flags", "chen"], "flags takes no argument"],
    [["list", "--store", "chen"], "takes no --store"],
  ])("answers %j with the usage and exit code 2", async (argv, message) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
  });
});
