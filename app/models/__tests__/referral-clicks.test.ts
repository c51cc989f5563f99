import { describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { renderMetrics } from "~/lib/infra/metrics.server";
import { recordReferralClick } from "~/models/referral-clicks.server";
import { changeStoreStatus } from "~/models/store.server";
import { createTestStore, uniqueVisitor } from "~/test/builders";

function committedBatches() {
  const line = renderMetrics()
    .split("\n")
    .find((entry) => entry.startsWith("referral_click_batches_total "));
  return Number(line?.split(" ")[1] ?? 0);
}

async function dailyClicks(storeId: number) {
  const rows = await db.prisma.storeDailyStat.findMany({ where: { storeId } });
  return rows.reduce((sum, row) => sum + row.clicks, 0);
}

describe("recordReferralClick", () => {
  it("records a click of an active store with its UTM parameters, source and channel", async () => {
    // GIVEN an active store
    const store = await createTestStore();
    // WHEN a visitor clicks its link
    const result = await recordReferralClick({
      referralCode: store.referralCode,
      sourceUrl: "https://syntropyhealth.bio/?ref=x&utm_source=instagram",
      utmParams: { utm_source: "instagram", utm_campaign: "spring" },
      visitorHash: uniqueVisitor(),
      channel: "qr",
    });
    // THEN one clicked row exists and the day's rollup counts it
    expect(result).toMatchObject({
      recorded: true,
      storeId: store.id,
      counted: true,
    });
    if (!result.recorded) throw new Error("unreachable");
    const row = await db.prisma.storeReferral.findUniqueOrThrow({
      where: { id: result.clickId },
    });
    expect(row).toMatchObject({
      storeId: store.id,
      referralCode: store.referralCode,
      status: "clicked",
      channel: "qr",
      referredUserId: null,
      utmParams: { utm_source: "instagram", utm_campaign: "spring" },
      sourceUrl: "https://syntropyhealth.bio/?ref=x&utm_source=instagram",
    });
    expect(row.clickBucket).toBeInstanceOf(Date);
    expect(await dailyClicks(store.id)).toBe(1);
  });

  it("counts one click per store per visitor per hour and returns the same row", async () => {
    const store = await createTestStore();
    const visitorHash = uniqueVisitor();
    const first = await recordReferralClick({
      referralCode: store.referralCode,
      visitorHash,
    });
    const second = await recordReferralClick({
      referralCode: store.referralCode,
      visitorHash,
    });
    const other = await recordReferralClick({
      referralCode: store.referralCode,
      visitorHash: uniqueVisitor(),
    });
    expect(first).toMatchObject({ recorded: true, counted: true });
    expect(second).toMatchObject({ recorded: true, counted: false });
    expect(first.recorded && second.recorded && first.clickId === second.clickId).toBe(true);
    expect(other).toMatchObject({ recorded: true, counted: true });
    expect(await db.prisma.storeReferral.count({ where: { storeId: store.id } })).toBe(2);
    expect(await dailyClicks(store.id)).toBe(2);
  });

  it("gives each click without a visitor hash its own row, also when they are written together", async () => {
    // GIVEN an active store
    const store = await createTestStore();
    // WHEN 20 clicks without a visitor hash arrive at once (one grouped statement)
    const results = await Promise.all(
      Array.from({ length: 20 }, () => recordReferralClick({ referralCode: store.referralCode })),
    );
    // THEN each is counted with its own committed row
    const ids = results.map((result) =>
      result.recorded && result.counted ? result.clickId : null,
    );
    expect(new Set(ids).size).toBe(20);
    const rows = await db.prisma.storeReferral.findMany({ where: { storeId: store.id } });
    expect(rows.map((row) => row.id).sort()).toEqual([...ids].sort());
    expect(await dailyClicks(store.id)).toBe(20);
  });

  it("writes clicks that arrive together in one statement, counted in referral_click_batches_total", async () => {
    // GIVEN an active store and the number of grouped statements so far
    const store = await createTestStore();
    const before = committedBatches();
    // WHEN 30 visitors click at once
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        recordReferralClick({ referralCode: store.referralCode, visitorHash: uniqueVisitor() }),
      ),
    );
    // THEN all 30 are committed by one statement
    expect(results.every((result) => result.recorded && result.counted)).toBe(true);
    expect(committedBatches() - before).toBe(1);
    expect(await dailyClicks(store.id)).toBe(30);
  });

  it("does not record invalid, non-store or unknown codes, and raises no error", async () => {
    await expect(recordReferralClick({ referralCode: "!!!" })).resolves.toEqual({
      recorded: false,
      reason: "invalid_code",
    });
    await expect(recordReferralClick({ referralCode: "friend-code" })).resolves.toEqual({
      recorded: false,
      reason: "not_store_code",
    });
    await expect(
      recordReferralClick({
        referralCode: "store-nobody-0000",
        visitorHash: uniqueVisitor(),
      }),
    ).resolves.toEqual({
      recorded: false,
      reason: "unknown_or_inactive_store",
    });
    // Other test files may write concurrently on a shared server: look for our codes only.
    expect(
      await db.prisma.storeReferral.count({
        where: {
          referralCode: { in: ["!!!", "friend-code", "store-nobody-0000"] },
        },
      }),
    ).toBe(0);
  });

  it("does not record clicks of a suspended or deactivated store", async () => {
    const suspended = await createTestStore();
    await changeStoreStatus({
      shopDomain: suspended.shopDomain,
      to: "suspended",
      actor: "operator",
    });
    const deactivated = await createTestStore();
    await changeStoreStatus({
      shopDomain: deactivated.shopDomain,
      to: "deactivated",
      actor: "uninstall",
    });
    for (const store of [suspended, deactivated]) {
      const result = await recordReferralClick({
        referralCode: store.referralCode,
        visitorHash: uniqueVisitor(),
      });
      expect(result).toEqual({
        recorded: false,
        reason: "unknown_or_inactive_store",
      });
      expect(await db.prisma.storeReferral.count({ where: { storeId: store.id } })).toBe(0);
    }
  });

  it("commits 300 concurrent clicks in grouped statements, with the rollup equal to the rows", async () => {
    // GIVEN two stores
    const [storeA, storeB] = await Promise.all([createTestStore(), createTestStore()]);
    const repeatedVisitor = uniqueVisitor();
    // WHEN 300 clicks arrive at once, 20 of them from one visitor of store A
    const clicks = Array.from({ length: 300 }, (_, index) => ({
      referralCode: index % 2 === 0 ? storeA!.referralCode : storeB!.referralCode,
      visitorHash: index % 2 === 0 && index < 40 ? repeatedVisitor : uniqueVisitor(),
    }));
    const results = await Promise.all(clicks.map((click) => recordReferralClick(click)));
    // THEN every click is acknowledged only with a committed row, the repeats share one row
    expect(results.every((result) => result.recorded)).toBe(true);
    const ids = new Set(results.map((result) => (result.recorded ? result.clickId : "")));
    const rows = await db.prisma.storeReferral.findMany({
      where: { id: { in: [...ids] } },
    });
    expect(rows).toHaveLength(ids.size);
    expect(ids.size).toBe(300 - 19);
    expect(results.filter((result) => result.recorded && result.counted)).toHaveLength(281);
    expect(await dailyClicks(storeA!.id)).toBe(
      await db.prisma.storeReferral.count({ where: { storeId: storeA!.id } }),
    );
    expect(await dailyClicks(storeB!.id)).toBe(150);
  });
});
