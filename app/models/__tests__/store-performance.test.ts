// A store's performance read from the rollups the click, sign-up and activation statements write:
// values normalised and bounded per day, days in the store's zone, and for any range and
// dimension the values adding up to the totals.
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { addDays, localDay } from "~/lib/infra/time-zone";
import {
  BREAKDOWN_DIMENSIONS,
  type Breakdown,
  type DayRange,
  type FunnelCounts,
  OTHER_VALUE,
} from "~/models/performance";
import { recordReferralClick } from "~/models/referral-clicks.server";
import type { ReferralChannel } from "~/models/referral-enums";
import { BREAKDOWN_VALUES_PER_DAY } from "~/models/referral-rollup";
import { markReferralActive, recordReferralSignup } from "~/models/referral-signups.server";
import { setStoreTimeZone } from "~/models/store.server";
import {
  getBreakdown,
  getDailySeries,
  getRangeSummary,
  splitByClosedMonths,
} from "~/models/store-performance.server";
import { createTestStore, uniqueUserId, uniqueVisitor } from "~/test/builders";

interface ClickSpec {
  channel?: ReferralChannel;
  utm?: Record<string, string>;
  referrerHost?: string | null;
  signsUp?: boolean;
  activates?: boolean;
}

/** Writes the clicks (in parallel: they share grouped statements), then their sign-ups. */
async function recordFunnel(referralCode: string, clicks: ClickSpec[]) {
  const results = await Promise.all(
    clicks.map((click) =>
      recordReferralClick({
        referralCode,
        visitorHash: uniqueVisitor(),
        channel: click.channel,
        utmParams: click.utm ?? null,
        referrerHost: click.referrerHost ?? null,
      }),
    ),
  );
  await Promise.all(
    clicks.map(async (click, index) => {
      const result = results[index]!;
      if (!click.signsUp || !result.recorded) return;
      const userId = uniqueUserId();
      await recordReferralSignup({ referralCode, userId, clickId: result.clickId });
      if (click.activates) await markReferralActive({ userId });
    }),
  );
}

function sum(counts: FunnelCounts[]): FunnelCounts {
  return counts.reduce(
    (total, entry) => ({
      clicks: total.clicks + entry.clicks,
      signups: total.signups + entry.signups,
      activations: total.activations + entry.activations,
    }),
    { clicks: 0, signups: 0, activations: 0 },
  );
}

function counts({ clicks, signups, activations }: FunnelCounts): FunnelCounts {
  return { clicks, signups, activations };
}

function expectRowsAddUp(breakdown: Breakdown) {
  expect(sum(breakdown.rows.map((row) => row.current))).toEqual(counts(breakdown.totals.current));
  expect(sum(breakdown.rows.map((row) => row.previous))).toEqual(counts(breakdown.totals.previous));
}

function today(timeZone = "UTC") {
  return localDay(new Date(), timeZone);
}

describe("getBreakdown", () => {
  it("counts clicks, sign-ups and activations per value, trimmed, lower-cased, (none) when absent", async () => {
    // GIVEN clicks from Instagram (spelled three ways), a newsletter, and one with nothing
    const store = await createTestStore();
    await recordFunnel(store.referralCode, [
      {
        utm: { utm_source: "Instagram" },
        referrerHost: "l.instagram.com",
        signsUp: true,
        activates: true,
      },
      { utm: { utm_source: "  instagram " }, referrerHost: "l.instagram.com", signsUp: true },
      {
        utm: { utm_source: "INSTAGRAM", utm_campaign: "Spring-Sale" },
        referrerHost: "l.instagram.com",
      },
      { utm: { utm_source: "newsletter", utm_medium: "email" }, channel: "qr", signsUp: true },
      { channel: "storefront" },
    ]);
    const range = { from: today(), to: today(), timeZone: "UTC" };
    // WHEN the breakdowns are read
    const bySource = await getBreakdown({ storeId: store.id, dimension: "utm_source", range });
    const byReferrer = await getBreakdown({ storeId: store.id, dimension: "referrer", range });
    const byChannel = await getBreakdown({ storeId: store.id, dimension: "channel", range });
    // THEN each value has its funnel and rate, the most clicked first
    expect(bySource.rows.map((row) => [row.value, counts(row.current)])).toEqual([
      ["instagram", { clicks: 3, signups: 2, activations: 1 }],
      ["newsletter", { clicks: 1, signups: 1, activations: 0 }],
      ["(none)", { clicks: 1, signups: 0, activations: 0 }],
    ]);
    expect(bySource.rows[0]?.current.conversionRate).toBe(66.67);
    expect(byReferrer.rows.map((row) => [row.value, row.current.clicks])).toEqual([
      ["l.instagram.com", 3],
      ["(none)", 2],
    ]);
    expect(byChannel.rows.map((row) => [row.value, row.current.clicks])).toEqual([
      ["link", 3],
      ["qr", 1],
      ["storefront", 1],
    ]);
    // AND the rows add up to the store's totals; the previous period is empty
    expect(counts(bySource.totals.current)).toEqual({ clicks: 5, signups: 3, activations: 1 });
    for (const breakdown of [bySource, byReferrer, byChannel]) expectRowsAddUp(breakdown);
    expect(bySource.totals.previous).toEqual({
      clicks: 0,
      signups: 0,
      activations: 0,
      conversionRate: 0,
    });
    expect(bySource.previousRange).toEqual({
      from: addDays(today(), -1),
      to: addDays(today(), -1),
      timeZone: "UTC",
    });
  });

  it("gives the first values of a day their own rows and folds the rest into (other)", async () => {
    // GIVEN a shopper spraying more distinct utm_campaign values than a day keeps (two batches)
    const store = await createTestStore();
    const campaign = (index: number) => ({ utm: { utm_campaign: `spray-${index}` } });
    await recordFunnel(
      store.referralCode,
      Array.from({ length: BREAKDOWN_VALUES_PER_DAY - 10 }, (_, index) => campaign(index)),
    );
    await recordFunnel(
      store.referralCode,
      Array.from({ length: 40 }, (_, index) => campaign(BREAKDOWN_VALUES_PER_DAY - 10 + index)),
    );
    // WHEN the rollup rows of the day are counted
    const { rows } = await db.pool.query<{ values: number; other: number }>(
      `SELECT count(*) FILTER (WHERE "value" <> '(other)')::int AS "values",
              coalesce(sum("clicks") FILTER (WHERE "value" = '(other)'), 0)::int AS "other"
         FROM "StoreDailyBreakdown" WHERE "storeId" = $1 AND "dimension" = 'utm_campaign'`,
      [store.id],
    );
    // THEN the day kept exactly the bound, the 30 later values counted in (other)
    expect(rows[0]).toEqual({ values: BREAKDOWN_VALUES_PER_DAY, other: 30 });
    // AND a breakdown limited to 5 rows shows 4 values and (other), adding up to the totals
    const range = { from: today(), to: today(), timeZone: "UTC" };
    const breakdown = await getBreakdown({
      storeId: store.id,
      dimension: "utm_campaign",
      range,
      limit: 5,
    });
    expect(breakdown.rows).toHaveLength(5);
    expect(breakdown.rows.at(-1)?.value).toBe(OTHER_VALUE);
    expect(breakdown.rows.at(-1)?.current.clicks).toBe(BREAKDOWN_VALUES_PER_DAY + 30 - 4);
    expectRowsAddUp(breakdown);
  });

  it("caps a value's length, so long values cannot grow the rollup either", async () => {
    const store = await createTestStore();
    await recordFunnel(store.referralCode, [{ utm: { utm_campaign: `${"x".repeat(300)}` } }]);
    const range = { from: today(), to: today(), timeZone: "UTC" };
    const breakdown = await getBreakdown({ storeId: store.id, dimension: "utm_campaign", range });
    expect(breakdown.rows[0]?.value).toBe("x".repeat(100));
  });

  it("for any range, dimension and limit the values add up to the totals, as the rows say", async () => {
    const click = fc.record({
      channel: fc.constantFrom<ReferralChannel>("link", "qr", "storefront", "other"),
      utm: fc.dictionary(
        fc.constantFrom("utm_source", "utm_medium", "utm_campaign"),
        fc.constantFrom("ig", " IG", "mail", "Spring", "spring ", "x\ty", ""),
      ),
      referrerHost: fc.constantFrom(null, "l.instagram.com", "t.co", "www.google.com"),
      signsUp: fc.boolean(),
      activates: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(click, { minLength: 0, maxLength: 25 }),
        fc.integer({ min: -40, max: 5 }),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom(...BREAKDOWN_DIMENSIONS),
        fc.integer({ min: 1, max: 6 }),
        async (clicks, start, length, dimension, limit) => {
          // GIVEN a store's clicks, sign-ups and activations of today
          const store = await createTestStore();
          await recordFunnel(store.referralCode, clicks);
          const from = addDays(today(), start);
          const range: DayRange = { from, to: addDays(from, length), timeZone: "UTC" };
          // WHEN one dimension is broken down over the range (rollups, and rows in Etc/UTC)
          const fromRollups = await getBreakdown({ storeId: store.id, dimension, range, limit });
          const fromRows = await getBreakdown({
            storeId: store.id,
            dimension,
            range: { ...range, timeZone: "Etc/UTC" },
            limit,
          });
          const summary = await getRangeSummary({ storeId: store.id, range });
          // THEN the values add up to the totals, which are the range's summary
          expectRowsAddUp(fromRollups);
          expect(fromRollups.totals.current).toEqual(summary.current);
          expect(fromRollups.totals.previous).toEqual(summary.previous);
          expect(fromRollups.rows.length).toBeLessThanOrEqual(limit);
          // AND the rollups say what the rows say (no value is past the day's bound here)
          expect(fromRows.rows).toEqual(fromRollups.rows);
          expect(fromRows.totals).toEqual(fromRollups.totals);
          const inRange = from <= today() && today() <= range.to;
          const signups = clicks.filter((entry) => entry.signsUp).length;
          expect(summary.current.clicks).toBe(inRange ? clicks.length : 0);
          expect(summary.current.signups).toBe(inRange ? signups : 0);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe("days in the store's zone", () => {
  it("counts today's events on the store's local day, and keeps counted days when the zone changes", async () => {
    // GIVEN a store in Kiritimati (UTC+14): its local day is often not the UTC day
    const store = await createTestStore({ timeZone: "Pacific/Kiritimati" });
    await recordFunnel(store.referralCode, [{ signsUp: true }]);
    const kiritimatiDay = today("Pacific/Kiritimati");
    const series = await getDailySeries({
      storeId: store.id,
      range: {
        from: addDays(kiritimatiDay, -1),
        to: kiritimatiDay,
        timeZone: "Pacific/Kiritimati",
      },
    });
    // THEN the click and the sign-up count on the local day
    expect(series).toEqual([
      { day: addDays(kiritimatiDay, -1), clicks: 0, signups: 0, activations: 0 },
      { day: kiritimatiDay, clicks: 1, signups: 1, activations: 0 },
    ]);
    // WHEN the shop moves to Honolulu (UTC-10) and gets one more click
    await setStoreTimeZone({ shopDomain: store.shopDomain, timeZone: "Pacific/Honolulu" });
    await recordFunnel(store.referralCode, [{}]);
    const honoluluDay = today("Pacific/Honolulu");
    // THEN the new click counts on Honolulu's day, the earlier ones stay where they fell
    const { rows } = await db.pool.query<{ day: string; clicks: number }>(
      `SELECT to_char("day", 'YYYY-MM-DD') AS "day", "clicks" FROM "StoreDailyStat"
        WHERE "storeId" = $1 ORDER BY "day"`,
      [store.id],
    );
    const expected = new Map<string, number>([[kiritimatiDay, 1]]);
    expected.set(honoluluDay, (expected.get(honoluluDay) ?? 0) + 1);
    expect(rows).toEqual(
      [...expected].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, clicks]) => ({ day, clicks })),
    );
    // AND every day's values still add up, in the store's new zone
    const range = {
      from: addDays(honoluluDay, -2),
      to: addDays(honoluluDay, 2),
      timeZone: "Pacific/Honolulu",
    };
    for (const dimension of BREAKDOWN_DIMENSIONS) {
      expectRowsAddUp(await getBreakdown({ storeId: store.id, dimension, range }));
    }
  });

  it("counts the rows in another zone than the store's, exactly", async () => {
    // GIVEN a UTC store with one click now
    const store = await createTestStore();
    await recordFunnel(store.referralCode, [{ signsUp: true }]);
    // WHEN its summary is read for today in Kathmandu
    const day = today("Asia/Kathmandu");
    const summary = await getRangeSummary({
      storeId: store.id,
      range: { from: day, to: day, timeZone: "Asia/Kathmandu" },
    });
    // THEN the click and sign-up fall on Kathmandu's today
    expect(counts(summary.current)).toEqual({ clicks: 1, signups: 1, activations: 0 });
  });
});

describe("long ranges: whole months that are over read from StoreMonthlyBreakdown", () => {
  it("splits a range into closed months and the days around them, covering each day once", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -900, max: 0 }),
        fc.integer({ min: 0, max: 800 }),
        fc.integer({ min: -60, max: 0 }),
        (start, length, closedOffset) => {
          const from = addDays(today(), start);
          const to = addDays(from, length);
          const lastClosedDay = addDays(today(), closedOffset);
          const { months, segments } = splitByClosedMonths(from, to, lastClosedDay);
          const covered: string[] = [];
          for (const month of months) {
            for (let day = month; day.slice(0, 7) === month.slice(0, 7); day = addDays(day, 1)) {
              expect(day <= lastClosedDay).toBe(true);
              covered.push(day);
            }
          }
          for (const [segmentFrom, segmentTo] of segments) {
            for (let day = segmentFrom; day <= segmentTo; day = addDays(day, 1)) covered.push(day);
          }
          covered.sort();
          const expected = Array.from({ length: length + 1 }, (_, index) => addDays(from, index));
          expect(covered).toEqual(expected);
        },
      ),
    );
  });

  it("gives the same breakdown as the days themselves, before and after the months are summed", async () => {
    // GIVEN two years of a store's daily rollup (as the statements would have written it)
    const store = await createTestStore();
    await db.pool.query(
      `INSERT INTO "StoreDailyBreakdown" ("storeId", "dimension", "day", "value", "clicks", "signups", "activations")
       SELECT $1, 'utm_campaign', current_date - g, 'campaign-' || ((g * 7 + v) % 40), 1 + (g + v) % 5, (g * v) % 2, (g + v) % 3 / 2
         FROM generate_series(0, 760) AS g, generate_series(1, 6) AS v
       ON CONFLICT DO NOTHING`,
      [store.id],
    );
    await db.pool.query(
      `INSERT INTO "StoreDailyStat" ("storeId", "day", "clicks", "signups", "activations")
       SELECT $1, "day", sum("clicks"), sum("signups"), sum("activations") FROM "StoreDailyBreakdown"
        WHERE "storeId" = $1 GROUP BY "day"`,
      [store.id],
    );
    const currentFromDays = async (range: DayRange) => {
      const { rows } = await db.pool.query<{ value: string; clicks: number }>(
        `SELECT "value", sum("clicks")::int AS "clicks" FROM "StoreDailyBreakdown"
          WHERE "storeId" = $1 AND "dimension" = 'utm_campaign' AND "day" BETWEEN $2::date AND $3::date
          GROUP BY 1`,
        [store.id, range.from, range.to],
      );
      return new Map(rows.map((row) => [row.value, row.clicks]));
    };
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -365, max: 0 }),
        fc.integer({ min: 0, max: 365 }),
        async (start, length) => {
          const from = addDays(today(), start - length);
          const range: DayRange = { from, to: addDays(from, length), timeZone: "UTC" };
          // WHEN it is broken down (twice: the first read may sum months)
          const first = await getBreakdown({
            storeId: store.id,
            dimension: "utm_campaign",
            range,
            limit: 100,
          });
          const second = await getBreakdown({
            storeId: store.id,
            dimension: "utm_campaign",
            range,
            limit: 100,
          });
          // THEN both equal the sums of the days, and add up to the totals
          expect(second).toEqual(first);
          expectRowsAddUp(first);
          const expected = await currentFromDays(range);
          const actual = new Map(
            first.rows
              .filter((row) => row.current.clicks > 0)
              .map((row) => [row.value, row.current.clicks]),
          );
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 15 },
    );
    // AND the months summed are only months that are over
    const { rows } = await db.pool.query<{ latest: string | null }>(
      `SELECT to_char(max("month"), 'YYYY-MM-DD') AS "latest" FROM "StoreMonthlyBreakdown" WHERE "storeId" = $1`,
      [store.id],
    );
    expect(rows[0]?.latest === null || rows[0]!.latest! < `${today().slice(0, 8)}01`).toBe(true);
  });
});
