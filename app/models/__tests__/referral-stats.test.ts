import { describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { recordReferralClick } from "~/models/referral-clicks.server";
import { markReferralActive, recordReferralSignup } from "~/models/referral-signups.server";
import {
  addDays,
  conversionRate,
  getStoreReferralStats,
  utcDay,
} from "~/models/referral-stats.server";
import { createTestStore, uniqueUserId, uniqueVisitor } from "~/test/builders";

describe("getStoreReferralStats", () => {
  it("returns the seeds' stats dict for a new store: zeros and an empty series", async () => {
    const store = await createTestStore();
    const stats = await getStoreReferralStats({ storeId: store.id, days: 7 });
    expect(stats).toMatchObject({
      totalClicks: 0,
      totalSignups: 0,
      conversionRate: 0,
      recentSignups30d: 0,
      totalActive: 0,
    });
    expect(stats.daily).toHaveLength(7);
    expect(stats.daily.at(-1)).toEqual({
      date: utcDay(new Date()),
      clicks: 0,
      signups: 0,
      activations: 0,
    });
  });

  it("counts clicks, signups, activations and the conversion rate from recorded events", async () => {
    // GIVEN 4 clicks, 2 of which sign up, 1 of which becomes active
    const store = await createTestStore();
    const clicks = [];
    for (let index = 0; index < 4; index++) {
      const result = await recordReferralClick({
        referralCode: store.referralCode,
        visitorHash: uniqueVisitor(),
      });
      if (result.recorded) clicks.push(result.clickId);
    }
    const users = [uniqueUserId(), uniqueUserId()];
    await recordReferralSignup({
      referralCode: store.referralCode,
      userId: users[0]!,
      clickId: clicks[0],
    });
    await recordReferralSignup({
      referralCode: store.referralCode,
      userId: users[1]!,
      clickId: clicks[1],
    });
    await markReferralActive({ userId: users[0]! });
    // WHEN the stats are read
    const stats = await getStoreReferralStats({ storeId: store.id });
    // THEN they agree with the rows
    expect(stats).toMatchObject({
      totalClicks: 4,
      totalSignups: 2,
      conversionRate: 50,
      recentSignups30d: 2,
      totalActive: 1,
    });
    expect(stats.daily.at(-1)).toMatchObject({
      clicks: 4,
      signups: 2,
      activations: 1,
    });
    const rows = await db.prisma.storeReferral.groupBy({
      by: ["status"],
      where: { storeId: store.id },
      _count: true,
    });
    expect(Object.fromEntries(rows.map((row) => [row.status, row._count]))).toEqual({
      clicked: 2,
      signed_up: 1,
      active: 1,
    });
  });

  it("counts recent signups over the last 30 UTC days only", async () => {
    const store = await createTestStore();
    const today = utcDay(new Date());
    await db.prisma.storeDailyStat.createMany({
      data: [
        {
          storeId: store.id,
          day: new Date(`${addDays(today, -29)}T00:00:00Z`),
          clicks: 10,
          signups: 3,
        },
        {
          storeId: store.id,
          day: new Date(`${addDays(today, -30)}T00:00:00Z`),
          clicks: 10,
          signups: 5,
        },
        {
          storeId: store.id,
          day: new Date(`${addDays(today, -100)}T00:00:00Z`),
          clicks: 20,
          signups: 2,
        },
      ],
    });
    const stats = await getStoreReferralStats({ storeId: store.id, days: 90 });
    expect(stats.totalClicks).toBe(40);
    expect(stats.totalSignups).toBe(10);
    expect(stats.recentSignups30d).toBe(3);
    expect(stats.conversionRate).toBe(25);
    expect(stats.daily).toHaveLength(90);
    expect(stats.daily[0]!.date).toBe(addDays(today, -89));
    expect(stats.daily.find((day) => day.date === addDays(today, -30))).toMatchObject({
      signups: 5,
    });
  });

  it("keeps one store's figures apart from another's", async () => {
    const storeA = await createTestStore();
    const storeB = await createTestStore();
    await recordReferralClick({
      referralCode: storeB.referralCode,
      visitorHash: uniqueVisitor(),
    });
    expect((await getStoreReferralStats({ storeId: storeA.id })).totalClicks).toBe(0);
    expect((await getStoreReferralStats({ storeId: storeB.id })).totalClicks).toBe(1);
  });
});

describe("conversionRate", () => {
  it("is a percentage with one decimal, 0 without clicks", () => {
    expect(conversionRate(0, 0)).toBe(0);
    expect(conversionRate(0, 3)).toBe(0);
    expect(conversionRate(3, 1)).toBe(33.3);
    expect(conversionRate(8, 1)).toBe(12.5);
  });
});
