// A store's performance over a range of local days: the funnel (clicks → sign-ups → activations)
// against the previous period, per day, and broken down by channel, UTM value or referring site.
// In the store's own zone it reads the per-day rollups (StoreDailyStat, StoreDailyBreakdown), so
// its cost grows with days and values, not rows. In another zone (the Integration API's
// `timezone`) it counts the referral rows themselves: exact, slower, and without the per-day
// bound on values (docs/decisions/0018-shop-time-zone-and-breakdowns.md).
import { db } from "~/db.server";
import { addDays, DEFAULT_TIME_ZONE, localDay } from "~/lib/infra/time-zone";
import {
  type Breakdown,
  type BreakdownDimension,
  type BreakdownRow,
  type DailyPoint,
  type DayRange,
  type FunnelCounts,
  OTHER_VALUE,
  type PeriodPair,
  previousRange,
  type RangeSummary,
  withRate,
} from "~/models/performance";
import { CLICK_ROW_SQL, dimensionValues } from "~/models/referral-rollup";

/** The most rows a breakdown returns by default, and at most; the rest fold into "(other)". */
export const BREAKDOWN_DEFAULT_LIMIT = 25;
export const BREAKDOWN_MAX_LIMIT = 100;

interface CountsRow {
  clicks: string | number;
  signups: string | number;
  activations: string | number;
}

function counts(row: CountsRow | undefined): FunnelCounts {
  return {
    clicks: Number(row?.clicks ?? 0),
    signups: Number(row?.signups ?? 0),
    activations: Number(row?.activations ?? 0),
  };
}

/** The store's zone (UTC for a store that does not exist: it has no figures anyway). */
export async function getStoreTimeZone(storeId: number): Promise<string> {
  const { rows } = await db.pool.query<{ timeZone: string }>(
    `SELECT "timeZone" FROM "Store" WHERE "id" = $1`,
    [storeId],
  );
  return rows[0]?.timeZone ?? DEFAULT_TIME_ZONE;
}

/** Reads the rollups when the range is in the store's zone. */
async function readsRollups(storeId: number, range: DayRange): Promise<boolean> {
  return (await getStoreTimeZone(storeId)) === range.timeZone;
}

// The instants of the local days from $2 to $3 (inclusive) in zone $4, as PostgreSQL reads them.
const RANGE_START = `($2::date::timestamp AT TIME ZONE $4::text)`;
const RANGE_END = `(($3::date + 1)::timestamp AT TIME ZONE $4::text)`;

// Every event of the store's rows between $2 and $3 in zone $4, one row per event, with the local
// day and kind ("clicks", "signups", "activations") it counts as: the rows-side twin of the rollups.
const EVENTS_FROM_ROWS = `
  SELECT e."kind", (e."at" AT TIME ZONE $4::text)::date AS "day", r.*
    FROM "StoreReferral" r
    CROSS JOIN LATERAL (VALUES ('clicks', CASE WHEN ${CLICK_ROW_SQL} THEN r."createdAt" END),
                               ('signups', r."signedUpAt"),
                               ('activations', r."activatedAt")) AS e("kind", "at")
   WHERE r."storeId" = $1 AND e."at" >= ${RANGE_START} AND e."at" < ${RANGE_END}`;

const COUNTS_BY_KIND = `count(*) FILTER (WHERE "kind" = 'clicks') AS "clicks",
       count(*) FILTER (WHERE "kind" = 'signups') AS "signups",
       count(*) FILTER (WHERE "kind" = 'activations') AS "activations"`;

function pair(current: FunnelCounts, previous: FunnelCounts): PeriodPair {
  return { current: withRate(current), previous: withRate(previous) };
}

/** The store's totals over two ranges of local days (the current and the previous period). */
async function periodTotals(
  storeId: number,
  range: DayRange,
  previous: DayRange,
  rollups: boolean,
): Promise<PeriodPair> {
  const { rows } = rollups
    ? await db.pool.query<CountsRow & { current: boolean }>({
        text: `SELECT "day" >= $4::date AS "current", sum("clicks") AS "clicks",
                      sum("signups") AS "signups", sum("activations") AS "activations"
                 FROM "StoreDailyStat"
                WHERE "storeId" = $1 AND "day" BETWEEN $2::date AND $3::date
                GROUP BY 1`,
        values: [storeId, previous.from, range.to, range.from],
      })
    : await db.pool.query<CountsRow & { current: boolean }>({
        text: `SELECT "day" >= $5::date AS "current", ${COUNTS_BY_KIND}
                 FROM (${EVENTS_FROM_ROWS}) e GROUP BY 1`,
        values: [storeId, previous.from, range.to, range.timeZone, range.from],
      });
  return pair(counts(rows.find((row) => row.current)), counts(rows.find((row) => !row.current)));
}

export async function getRangeSummary({
  storeId,
  range,
}: {
  storeId: number;
  range: DayRange;
}): Promise<RangeSummary> {
  const previous = previousRange(range);
  const totals = await periodTotals(storeId, range, previous, await readsRollups(storeId, range));
  return { range, previousRange: previous, ...totals };
}

/** Every local day of the range, oldest first, zero-filled. */
export async function getDailySeries({
  storeId,
  range,
}: {
  storeId: number;
  range: DayRange;
}): Promise<DailyPoint[]> {
  const rollups = await readsRollups(storeId, range);
  const source = rollups
    ? `SELECT "day", "clicks", "signups", "activations" FROM "StoreDailyStat"
        WHERE "storeId" = $1 AND "day" BETWEEN $2::date AND $3::date`
    : `SELECT "day", ${COUNTS_BY_KIND} FROM (${EVENTS_FROM_ROWS}) e GROUP BY "day"`;
  const { rows } = await db.pool.query<DailyPoint>({
    text: `SELECT to_char(d."day", 'YYYY-MM-DD') AS "day",
                  coalesce(s."clicks", 0)::int AS "clicks",
                  coalesce(s."signups", 0)::int AS "signups",
                  coalesce(s."activations", 0)::int AS "activations"
             FROM generate_series($2::date::timestamp, $3::date::timestamp, interval '1 day') AS d("day")
             LEFT JOIN (${source}) s ON s."day" = d."day"::date
            ORDER BY d."day"`,
    values: rollups
      ? [storeId, range.from, range.to]
      : [storeId, range.from, range.to, range.timeZone],
  });
  return rows;
}

interface ValueRow {
  value: string;
  current: boolean;
  clicks: string;
  signups: string;
  activations: string;
}

/**
 * The store's funnel per value of `dimension` over the range and the previous period. The values
 * with the most clicks in the range come first (then sign-ups, then the value); past `limit`
 * rows the rest fold into "(other)". The rows add up to `totals`.
 */
export async function getBreakdown({
  storeId,
  dimension,
  range,
  limit = BREAKDOWN_DEFAULT_LIMIT,
}: {
  storeId: number;
  dimension: BreakdownDimension;
  range: DayRange;
  limit?: number;
}): Promise<Breakdown> {
  const previous = previousRange(range);
  const rollups = await readsRollups(storeId, range);
  // The values and the totals side by side (two connections of the pool).
  const [{ rows }, totals] = await Promise.all([
    rollups
      ? breakdownFromRollups(storeId, dimension, range, previous)
      : db.pool.query<ValueRow>({
          text: `SELECT d."value", e."day" >= $5::date AS "current", ${COUNTS_BY_KIND}
                 FROM (${EVENTS_FROM_ROWS}) e
                 CROSS JOIN LATERAL ${dimensionValues("e")}
                WHERE d."dimension" = $6
                GROUP BY 1, 2`,
          values: [storeId, previous.from, range.to, range.timeZone, range.from, dimension],
        }),
    periodTotals(storeId, range, previous, rollups),
  ]);
  return {
    dimension,
    range,
    previousRange: previous,
    rows: rankValues(rows, Math.max(1, Math.min(limit, BREAKDOWN_MAX_LIMIT))),
    totals,
  };
}

/**
 * A month is over for the rollups once its last day is this many days before today (in the
 * store's zone): a change of zone moves "today" by at most two calendar days, so no event can
 * land in it any more.
 */
const CLOSED_MONTH_MARGIN_DAYS = 3;

/**
 * The whole months of [from, to] that are over on `lastClosedDay`, and the days of the range
 * outside them (as [from, to] segments).
 */
export function splitByClosedMonths(
  from: string,
  to: string,
  lastClosedDay: string,
): { months: string[]; segments: Array<[string, string]> } {
  const months: string[] = [];
  const segments: Array<[string, string]> = [];
  let day = from;
  let segmentStart: string | null = null;
  while (day <= to) {
    const monthStart = `${day.slice(0, 8)}01`;
    const nextMonth = addDays(`${day.slice(0, 8)}28`, 4).slice(0, 8) + "01";
    const monthEnd = addDays(nextMonth, -1);
    if (day === monthStart && monthEnd <= to && monthEnd <= lastClosedDay) {
      if (segmentStart !== null) segments.push([segmentStart, addDays(day, -1)]);
      segmentStart = null;
      months.push(monthStart);
      day = nextMonth;
    } else {
      segmentStart ??= day;
      day = addDays(day, 1);
    }
  }
  if (segmentStart !== null) segments.push([segmentStart, to]);
  return { months, segments };
}

/**
 * The values of a dimension over the current and previous periods from the rollups: whole
 * months that are over from StoreMonthlyBreakdown (summed from the days the first time a read
 * needs them), the other days from StoreDailyBreakdown. A year then reads about 24 months and a
 * few days per value, rather than 730 days.
 */
async function breakdownFromRollups(
  storeId: number,
  dimension: BreakdownDimension,
  range: DayRange,
  previous: DayRange,
) {
  const lastClosedDay = addDays(localDay(new Date(), range.timeZone), -CLOSED_MONTH_MARGIN_DAYS);
  const parts = [previous, range].map((period) =>
    splitByClosedMonths(period.from, period.to, lastClosedDay),
  );
  const months = parts.flatMap((part) => part.months);
  const segments = parts.flatMap((part) => part.segments);
  if (months.length > 0) {
    // Concurrent first reads insert the same sums: the second waits, then does nothing.
    await db.pool.query({
      text: `WITH wanted AS (
               SELECT m."month" FROM unnest($3::date[]) AS m("month")
                WHERE NOT EXISTS (SELECT 1 FROM "StoreMonthlyBreakdown" x
                                   WHERE x."storeId" = $1 AND x."dimension" = $2 AND x."month" = m."month")
             )
             INSERT INTO "StoreMonthlyBreakdown" ("storeId", "dimension", "month", "value", "clicks",
                                                  "signups", "activations")
             SELECT $1, $2, w."month", x."value", x."clicks", x."signups", x."activations"
               FROM wanted w
              -- LATERAL: one index range scan per month (a join on the range was planned as a
              -- scan of the whole table)
              CROSS JOIN LATERAL (
                SELECT b."value", sum(b."clicks") AS "clicks", sum(b."signups") AS "signups",
                       sum(b."activations") AS "activations"
                  FROM "StoreDailyBreakdown" b
                 WHERE b."storeId" = $1 AND b."dimension" = $2
                   AND b."day" >= w."month" AND b."day" < (w."month" + interval '1 month')::date
                 GROUP BY b."value") x
             ON CONFLICT DO NOTHING`,
      values: [storeId, dimension, months],
    });
  }
  return db.pool.query<ValueRow>({
    text: `SELECT "value", "day" >= $3::date AS "current", sum("clicks") AS "clicks",
                  sum("signups") AS "signups", sum("activations") AS "activations"
             FROM (SELECT b."value", b."day", b."clicks", b."signups", b."activations"
                     FROM unnest($4::date[], $5::date[]) AS s("from", "to")
                     JOIN "StoreDailyBreakdown" b
                       ON b."storeId" = $1 AND b."dimension" = $2
                      AND b."day" BETWEEN s."from" AND s."to"
                   UNION ALL
                   SELECT m."value", m."month", m."clicks", m."signups", m."activations"
                     FROM "StoreMonthlyBreakdown" m
                    WHERE m."storeId" = $1 AND m."dimension" = $2 AND m."month" = ANY($6::date[])) x
            GROUP BY 1, 2`,
    values: [
      storeId,
      dimension,
      range.from,
      segments.map(([from]) => from),
      segments.map(([, to]) => to),
      months,
    ],
  });
}

/** One row per value (current and previous side by side), ranked, the tail past `limit` folded. */
function rankValues(rows: ValueRow[], limit: number): BreakdownRow[] {
  const byValue = new Map<string, { current: FunnelCounts; previous: FunnelCounts }>();
  for (const row of rows) {
    const entry = byValue.get(row.value) ?? {
      current: counts(undefined),
      previous: counts(undefined),
    };
    entry[row.current ? "current" : "previous"] = counts(row);
    byValue.set(row.value, entry);
  }
  const ranked = [...byValue.entries()]
    .filter(([value]) => value !== OTHER_VALUE)
    .sort(
      ([valueA, a], [valueB, b]) =>
        b.current.clicks - a.current.clicks ||
        b.current.signups - a.current.signups ||
        b.previous.clicks - a.previous.clicks ||
        (valueA < valueB ? -1 : valueA > valueB ? 1 : 0),
    );
  const kept = ranked.slice(
    0,
    ranked.length + (byValue.has(OTHER_VALUE) ? 1 : 0) > limit ? limit - 1 : limit,
  );
  const folded = [...ranked.slice(kept.length)];
  const other = byValue.get(OTHER_VALUE);
  const result = kept.map(([value, periods]) => ({
    value,
    ...pair(periods.current, periods.previous),
  }));
  if (other || folded.length > 0) {
    const sum = (side: "current" | "previous") =>
      [...folded.map(([, periods]) => periods), ...(other ? [other] : [])].reduce<FunnelCounts>(
        (total, periods) => ({
          clicks: total.clicks + periods[side].clicks,
          signups: total.signups + periods[side].signups,
          activations: total.activations + periods[side].activations,
        }),
        counts(undefined),
      );
    result.push({ value: OTHER_VALUE, ...pair(sum("current"), sum("previous")) });
  }
  return result;
}
