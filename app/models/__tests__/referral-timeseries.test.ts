import { describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { getStoreReferralTimeseries } from "~/models/referral-stats.server";
import { createTestStore } from "~/test/builders";

async function seedDays(
  storeId: number,
  days: Array<[day: string, clicks: number, signups: number, activations: number]>,
) {
  await db.prisma.storeDailyStat.createMany({
    data: days.map(([day, clicks, signups, activations]) => ({
      storeId,
      day: new Date(`${day}T00:00:00.000Z`),
      clicks,
      signups,
      activations,
    })),
  });
}

describe("getStoreReferralTimeseries", () => {
  it("returns one zero-filled bucket per UTC day, oldest first", async () => {
    const store = await createTestStore();
    await seedDays(store.id, [
      ["2026-03-01", 5, 2, 1],
      ["2026-03-03", 7, 0, 0],
    ]);
    const buckets = await getStoreReferralTimeseries({
      storeId: store.id,
      from: "2026-03-01",
      to: "2026-03-03",
      interval: "day",
    });
    expect(buckets).toEqual([
      { start: "2026-03-01", end: "2026-03-01", clicks: 5, signups: 2, activations: 1 },
      { start: "2026-03-02", end: "2026-03-02", clicks: 0, signups: 0, activations: 0 },
      { start: "2026-03-03", end: "2026-03-03", clicks: 7, signups: 0, activations: 0 },
    ]);
  });

  it("groups ISO weeks starting on Monday, clipping the first and last week to the range", async () => {
    // GIVEN Sunday 1 March 2026 and days of the two following weeks, plus days outside the range
    const store = await createTestStore();
    await seedDays(store.id, [
      ["2026-02-28", 100, 100, 100], // Saturday before `from`: not counted
      ["2026-03-01", 1, 0, 0], // Sunday: the week of Monday 23 February
      ["2026-03-02", 2, 1, 0], // Monday
      ["2026-03-08", 3, 1, 1], // Sunday
      ["2026-03-09", 4, 2, 1], // Monday
      ["2026-03-11", 100, 100, 100], // after `to`: not counted
    ]);
    // WHEN reading weekly buckets from Sunday 1 to Tuesday 10 March
    const buckets = await getStoreReferralTimeseries({
      storeId: store.id,
      from: "2026-03-01",
      to: "2026-03-10",
      interval: "week",
    });
    // THEN three buckets, Monday to Sunday, clipped at both ends
    expect(buckets).toEqual([
      { start: "2026-03-01", end: "2026-03-01", clicks: 1, signups: 0, activations: 0 },
      { start: "2026-03-02", end: "2026-03-08", clicks: 5, signups: 2, activations: 1 },
      { start: "2026-03-09", end: "2026-03-10", clicks: 4, signups: 2, activations: 1 },
    ]);
  });

  it("never counts another store's days", async () => {
    const store = await createTestStore();
    const other = await createTestStore();
    await seedDays(other.id, [["2026-04-01", 9, 9, 9]]);
    const buckets = await getStoreReferralTimeseries({
      storeId: store.id,
      from: "2026-04-01",
      to: "2026-04-01",
      interval: "day",
    });
    expect(buckets).toEqual([
      { start: "2026-04-01", end: "2026-04-01", clicks: 0, signups: 0, activations: 0 },
    ]);
  });
});
