import { describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { DEFAULT_STAND_IN_TIME_ZONE } from "~/demo/admin/admin-api-stand-in";
import { generateDemoReferrals, seedDemoData } from "~/demo/models/demo-store.server";
import { getReferralsForStore } from "~/models/referral-listing.server";
import { getStoreReferralStats } from "~/models/referral-stats.server";
import { getBreakdown } from "~/models/store-performance.server";
import { uniqueShopDomain } from "~/test/builders";

const NOW = new Date("2026-11-21T15:30:00Z");

describe("generateDemoReferrals", () => {
  it("produces the same realistic history on every run: every channel, a funnel, nothing in the future", () => {
    const options = {
      days: 90,
      now: NOW,
      siteUrl: "http://localhost:3000",
      referralCode: "store-x-0000",
    };
    const rows = generateDemoReferrals(options);
    expect(generateDemoReferrals(options)).toEqual(rows);
    expect(rows.length).toBeGreaterThan(2000);
    expect(new Set(rows.map((row) => row.channel))).toEqual(
      new Set(["link", "qr", "storefront", "other"]),
    );
    const signedUp = rows.filter((row) => row.signedUpAt);
    const active = rows.filter((row) => row.activatedAt);
    expect(signedUp.length / rows.length).toBeGreaterThan(0.05);
    expect(signedUp.length / rows.length).toBeLessThan(0.25);
    expect(active.length).toBeGreaterThan(0);
    expect(active.length).toBeLessThan(signedUp.length);
    for (const row of rows) {
      expect(row.createdAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
      expect(row.signedUpAt?.getTime() ?? 0).toBeLessThanOrEqual(NOW.getTime());
      expect(row.activatedAt?.getTime() ?? 0).toBeLessThanOrEqual(NOW.getTime());
    }
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
  });
});

describe("seedDemoData", () => {
  it("seeds the demo store once, with a rollup that equals its rows, then reuses the data", async () => {
    // GIVEN a fresh database (a unique demo shop for this test)
    const shopDomain = uniqueShopDomain("demo");
    const progress: number[] = [];
    // WHEN the demo seeds, then seeds again
    const first = await seedDemoData({
      siteUrl: "http://localhost:3000",
      shopDomain,
      onProgress: ({ written }) => progress.push(written),
    });
    const second = await seedDemoData({ siteUrl: "http://localhost:3000", shopDomain });
    // THEN the history exists once and the stats agree with the rows
    expect(first.seeded).toBe(true);
    expect(second).toMatchObject({
      seeded: false,
      storeId: first.storeId,
      referralRows: first.referralRows,
    });
    expect(progress.at(-1)).toBe(first.referralRows);
    const rows = await db.prisma.storeReferral.findMany({ where: { storeId: first.storeId } });
    expect(rows).toHaveLength(first.referralRows);
    // 91 local days: the demo store is in New York, and its 90 days of history start at a UTC midnight
    const stats = await getStoreReferralStats({ storeId: first.storeId, days: 91 });
    expect(stats.totalClicks).toBe(rows.length);
    expect(stats.totalSignups).toBe(rows.filter((row) => row.signedUpAt).length);
    expect(stats.totalActive).toBe(rows.filter((row) => row.status === "active").length);
    expect(stats.daily.reduce((sum, day) => sum + day.clicks, 0)).toBe(rows.length);
    // AND a few sign-ups flagged by the quality checks (some reviewed), counted apart
    const flagged = rows.filter((row) => row.review === "flagged").length;
    const rejected = rows.filter((row) => row.review === "rejected").length;
    expect(flagged).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
    expect(stats).toMatchObject({
      flaggedSignups: flagged,
      rejectedSignups: rejected,
      qualifiedSignups: stats.totalSignups - flagged - rejected,
    });
    expect(rows.some((row) => row.adClickIds.includes("gclid"))).toBe(true);
    // AND campaigns and referring sites worth a breakdown, adding up to the totals
    const { timeZone } = await db.prisma.store.findUniqueOrThrow({ where: { shopDomain } });
    expect(timeZone).toBe(DEFAULT_STAND_IN_TIME_ZONE);
    const range = { from: stats.daily[0]!.date, to: stats.daily.at(-1)!.date, timeZone };
    for (const dimension of ["utm_campaign", "referrer"] as const) {
      const breakdown = await getBreakdown({
        storeId: first.storeId,
        dimension,
        range,
        limit: 100,
      });
      expect(breakdown.rows.reduce((sum, row) => sum + row.current.clicks, 0)).toBe(rows.length);
      expect(breakdown.rows.length).toBeGreaterThan(4);
    }
    const referrers = await getBreakdown({ storeId: first.storeId, dimension: "referrer", range });
    expect(referrers.rows.map((row) => row.value)).toContain("l.instagram.com");
    const store = await db.prisma.store.findUniqueOrThrow({ where: { shopDomain } });
    expect(store).toMatchObject({ status: "active", category: "supplement_shop" });
    const page = await getReferralsForStore({ storeId: first.storeId, limit: 5 });
    expect(page.items).toHaveLength(5);
    expect(page.nextCursor).not.toBeNull();
  });
});
