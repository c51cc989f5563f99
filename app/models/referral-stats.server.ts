// Store referral statistics (the seeds' get_store_referral_stats_sync), read from the per-day
// rollup: the cost grows with the number of days, not with the number of referral rows.
import { db } from "~/db.server";

export interface DailyReferralStats {
  /** UTC day, YYYY-MM-DD. */
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
  /** One entry per UTC day of the last `days` days, oldest first, zero-filled. */
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
}: {
  storeId: number;
  now?: Date;
}): Promise<StoreReferralTotals> {
  const [totals] = (
    await db.pool.query<{
      clicks: string;
      signups: string;
      activations: string;
      recent: string;
      flagged: string;
      rejected: string;
    }>({
      text: `SELECT coalesce(sum("clicks"), 0) AS "clicks",
                    coalesce(sum("signups"), 0) AS "signups",
                    coalesce(sum("activations"), 0) AS "activations",
                    coalesce(sum("signups") FILTER (WHERE "day" > $2::date - $3::int), 0) AS "recent",
                    coalesce(sum("flaggedSignups"), 0) AS "flagged",
                    coalesce(sum("rejectedSignups"), 0) AS "rejected"
               FROM "StoreDailyStat" WHERE "storeId" = $1`,
      values: [storeId, utcDay(now), RECENT_WINDOW_DAYS],
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

export async function getStoreReferralStats({
  storeId,
  days = RECENT_WINDOW_DAYS,
  now = new Date(),
}: {
  storeId: number;
  days?: number;
  now?: Date;
}): Promise<StoreReferralStats> {
  const today = utcDay(now);
  const totals = await getStoreReferralTotals({ storeId, now });
  const daily = await getDailyReferralStats({
    storeId,
    from: addDays(today, -(days - 1)),
    to: today,
  });
  return { ...totals, daily };
}

/** Per-day counts for the UTC days from `from` to `to` inclusive (YYYY-MM-DD), zero-filled. */
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
  /** First UTC day of the bucket counted (YYYY-MM-DD): the day, or the week's Monday clipped to `from`. */
  start: string;
  /** Last UTC day of the bucket counted: the day, or the week's Sunday clipped to `to`. */
  end: string;
  clicks: number;
  signups: number;
  activations: number;
}

/**
 * Clicks, signups and activations per UTC day or per ISO week (Monday to Sunday, UTC) for the
 * days from `from` to `to` inclusive, zero-filled, oldest first, read from the per-day rollup.
 * Only days inside the range are counted: the first and last weeks may be partial.
 */
export async function getStoreReferralTimeseries({
  storeId,
  from,
  to,
  interval,
}: {
  storeId: number;
  from: string;
  to: string;
  interval: TimeseriesInterval;
}): Promise<ReferralTimeseriesBucket[]> {
  const { rows } = await db.pool.query<ReferralTimeseriesBucket>({
    // Timestamps without time zone: date_trunc('week', …) is then the ISO Monday whatever the
    // session's TimeZone is (over timestamptz it would depend on it).
    text: `SELECT to_char(min(d.day), 'YYYY-MM-DD') AS "start",
                  to_char(max(d.day), 'YYYY-MM-DD') AS "end",
                  coalesce(sum(s."clicks"), 0)::int AS "clicks",
                  coalesce(sum(s."signups"), 0)::int AS "signups",
                  coalesce(sum(s."activations"), 0)::int AS "activations"
             FROM generate_series($2::date::timestamp, $3::date::timestamp, interval '1 day') AS d(day)
             LEFT JOIN "StoreDailyStat" s ON s."storeId" = $1 AND s."day" = d.day::date
            GROUP BY date_trunc($4::text, d.day)
            ORDER BY min(d.day)`,
    values: [storeId, from, to, interval],
  });
  return rows;
}

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, amount: number): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + amount);
  return utcDay(date);
}
