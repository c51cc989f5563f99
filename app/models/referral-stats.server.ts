// Store referral statistics (the seeds' get_store_referral_stats_sync), read from the per-day
// rollup: the cost grows with the number of days, not with the number of referral rows.
import { db } from "~/db.server";
import { daysBetween, localDay } from "~/lib/infra/time-zone";
import type { DailyPoint } from "~/models/performance";
import { getDailySeries, getStoreTimeZone } from "~/models/store-performance.server";

export interface DailyReferralStats {
  /** Local day in the store's zone, YYYY-MM-DD. */
  date: string;
  clicks: number;
  signups: number;
  activations: number;
}

/**
 * The seeds' stats dict (total_clicks, total_signups, conversion_rate, recent_signups_30d,
 * total_active), in camelCase, with the sign-up quality counts (issue 14); the Integration API
 * answers with the seeds' keys. The seeds' figures keep their meaning: every attributed sign-up.
 */
export interface StoreReferralStats {
  totalClicks: number;
  totalSignups: number;
  /** Signups per click, in percent, one decimal (0 when there are no clicks). */
  conversionRate: number;
  recentSignups30d: number;
  totalActive: number;
  /** Sign-ups a quality check flagged that are awaiting review (held out of the qualified count). */
  flaggedSignups: number;
  /** Sign-ups the staff rejected after review. */
  rejectedSignups: number;
  /** Sign-ups that count: totalSignups − flaggedSignups − rejectedSignups (clean or approved). */
  qualifiedSignups: number;
  /** One entry per local day (store's zone) of the last `days` days, oldest first, zero-filled. */
  daily: DailyReferralStats[];
}

export const RECENT_WINDOW_DAYS = 30;

/** Signups per click in percent with one decimal; 0 when there were no clicks. */
export function conversionRate(clicks: number, signups: number): number {
  if (clicks <= 0) return 0;
  return Math.round((signups / clicks) * 1000) / 10;
}

/** The seeds' stats dict without the per-day series (what the Integration API summary returns). */
export type StoreReferralTotals = Omit<StoreReferralStats, "daily">;

export async function getStoreReferralTotals({
  storeId,
  now = new Date(),
  timeZone,
}: {
  storeId: number;
  now?: Date;
  /** The zone of "the last 30 days" (recentSignups30d); the store's own by default. */
  timeZone?: string;
}): Promise<StoreReferralTotals> {
  // The last 30 days end today in the zone. In the store's zone they are rollup days; in another
  // one the sign-ups since that zone's midnight 29 days ago are counted from the rows.
  const [totals] = (
    await db.pool.query<{
      clicks: string;
      signups: string;
      activations: string;
      recent: string;
      flagged: string;
      rejected: string;
    }>({
      text: `WITH store AS (
               SELECT "id", coalesce($4::text, "timeZone") AS "zone", "timeZone" FROM "Store" WHERE "id" = $1
             ),
             today AS (SELECT ($2::timestamptz AT TIME ZONE "zone")::date AS "day" FROM store)
             SELECT coalesce(sum(s."clicks"), 0) AS "clicks",
                    coalesce(sum(s."signups"), 0) AS "signups",
                    coalesce(sum(s."activations"), 0) AS "activations",
                    CASE WHEN (SELECT "zone" = "timeZone" FROM store)
                      THEN coalesce(sum(s."signups") FILTER (WHERE s."day" > (SELECT "day" FROM today) - $3::int), 0)
                      ELSE (SELECT count(*) FROM "StoreReferral" r
                             WHERE r."storeId" = $1 AND r."signedUpAt" IS NOT NULL
                               AND r."signedUpAt" >= (((SELECT "day" FROM today) - ($3::int - 1))::timestamp
                                                      AT TIME ZONE (SELECT "zone" FROM store)))
                    END AS "recent",
                    coalesce(sum(s."flaggedSignups"), 0) AS "flagged",
                    coalesce(sum(s."rejectedSignups"), 0) AS "rejected"
               FROM "StoreDailyStat" s WHERE s."storeId" = $1`,
      values: [storeId, now, RECENT_WINDOW_DAYS, timeZone ?? null],
    })
  ).rows;
  const clicks = Number(totals?.clicks ?? 0);
  const signups = Number(totals?.signups ?? 0);
  const flagged = Number(totals?.flagged ?? 0);
  const rejected = Number(totals?.rejected ?? 0);
  return {
    totalClicks: clicks,
    totalSignups: signups,
    conversionRate: conversionRate(clicks, signups),
    recentSignups30d: Number(totals?.recent ?? 0),
    totalActive: Number(totals?.activations ?? 0),
    flaggedSignups: flagged,
    rejectedSignups: rejected,
    qualifiedSignups: signups - flagged - rejected,
  };
}

/** The totals and the last `days` local days of the store (in its zone), oldest first. */
export async function getStoreReferralStats({
  storeId,
  days = RECENT_WINDOW_DAYS,
  now = new Date(),
}: {
  storeId: number;
  days?: number;
  now?: Date;
}): Promise<StoreReferralStats> {
  const timeZone = await getStoreTimeZone(storeId);
  const today = localDay(now, timeZone);
  const totals = await getStoreReferralTotals({ storeId, now });
  const daily = await getDailyReferralStats({
    storeId,
    from: addDays(today, -(days - 1)),
    to: today,
  });
  return { ...totals, daily };
}

/**
 * Per-day counts for the store's local days from `from` to `to` inclusive (YYYY-MM-DD),
 * zero-filled, read from the rollup.
 */
export async function getDailyReferralStats({
  storeId,
  from,
  to,
}: {
  storeId: number;
  from: string;
  to: string;
}): Promise<DailyReferralStats[]> {
  const { rows } = await db.pool.query<{
    date: string;
    clicks: number;
    signups: number;
    activations: number;
  }>({
    text: `SELECT to_char(d.day, 'YYYY-MM-DD') AS "date",
                  coalesce(s."clicks", 0) AS "clicks",
                  coalesce(s."signups", 0) AS "signups",
                  coalesce(s."activations", 0) AS "activations"
             FROM generate_series($2::date, $3::date, interval '1 day') AS d(day)
             LEFT JOIN "StoreDailyStat" s ON s."storeId" = $1 AND s."day" = d.day::date
            ORDER BY d.day`,
    values: [storeId, from, to],
  });
  return rows;
}

export type TimeseriesInterval = "day" | "week";

export interface ReferralTimeseriesBucket {
  /** First local day of the bucket counted (YYYY-MM-DD): the day, or the week's Monday clipped to `from`. */
  start: string;
  /** Last local day of the bucket counted: the day, or the week's Sunday clipped to `to`. */
  end: string;
  clicks: number;
  signups: number;
  activations: number;
}

/**
 * Clicks, signups and activations per local day or per ISO week (Monday to Sunday) of the zone
 * (the store's by default) for the days from `from` to `to` inclusive, zero-filled, oldest
 * first. Only days inside the range are counted: the first and last weeks may be partial.
 */
export async function getStoreReferralTimeseries({
  storeId,
  from,
  to,
  interval,
  timeZone,
}: {
  storeId: number;
  from: string;
  to: string;
  interval: TimeseriesInterval;
  timeZone?: string;
}): Promise<ReferralTimeseriesBucket[]> {
  const zone = timeZone ?? (await getStoreTimeZone(storeId));
  const days = await getDailySeries({ storeId, range: { from, to, timeZone: zone } });
  const buckets: ReferralTimeseriesBucket[] = [];
  for (const point of days) {
    const last = buckets.at(-1);
    // 1970-01-05 was a Monday: a week starts on a day a multiple of 7 days after it.
    const startsWeek = daysBetween("1970-01-05", point.day) % 7 === 1;
    if (last && interval === "week" && !startsWeek) {
      last.end = point.day;
      last.clicks += point.clicks;
      last.signups += point.signups;
      last.activations += point.activations;
    } else {
      buckets.push({ start: point.day, end: point.day, ...withoutDay(point) });
    }
  }
  return buckets;
}

function withoutDay({ clicks, signups, activations }: DailyPoint) {
  return { clicks, signups, activations };
}

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, amount: number): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + amount);
  return utcDay(date);
}
