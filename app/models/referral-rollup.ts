// The per-day rollups every referral write adds to in its own statement, so that counts and rows
// can never disagree: StoreDailyStat (the store's counters) and StoreDailyBreakdown (the same
// counters per value of each dimension). Days are local days in the store's zone, read from the
// Store row inside the statement (docs/decisions/0018-shop-time-zone-and-breakdowns.md). Written
// once here; the click, signup, activation and review statements embed them as CTEs.

export type RollupCounter =
  "clicks" | "signups" | "activations" | "flaggedSignups" | "rejectedSignups";

/** The counters the breakdown rollup keeps per value. */
export type BreakdownCounter = "clicks" | "signups" | "activations";

/**
 * How many values of a dimension get their own row per store and local day; later values count
 * in "(other)" (a store's breakdown stays O(days × this), whatever a shopper puts on a link).
 * Statements running at the same moment may each add the last value: the bound can be passed by
 * the number of concurrent writers (one click batch at a time per instance).
 */
export const BREAKDOWN_VALUES_PER_DAY = 100;

/** The longest value kept (the SQL function referral_dimension_value cuts at the same length). */
export const BREAKDOWN_VALUE_MAX_LENGTH = 100;

/** The store's local day of `now()`: `tz` is the Store row joined to the source. */
const TODAY = `(now() AT TIME ZONE tz."timeZone")::date`;

/**
 * A StoreReferral row (alias `r`) written by the click path: it has its click bucket until the
 * retention job clears it, and a row created by a sign-up without a click has createdAt equal to
 * signedUpAt (one statement), where a click signs up in a later one. The rows-side definition of
 * a counted click (the backfill migration and the exact counts in another zone use it).
 */
export const CLICK_ROW_SQL = `(r."clickBucket" IS NOT NULL OR r."signedUpAt" IS NULL OR r."createdAt" < r."signedUpAt")`;

/**
 * A LATERAL list of (dimension, value) for a StoreReferral-shaped row `alias`: one row per
 * breakdown dimension, values normalised as the rollups keep them.
 */
export function dimensionValues(alias: string): string {
  const value = (expression: string) => `"referral_dimension_value"(${expression})`;
  return `(VALUES ('channel', ${alias}."channel"::text),
                  ('utm_source', ${value(`${alias}."utmParams"->>'utm_source'`)}),
                  ('utm_medium', ${value(`${alias}."utmParams"->>'utm_medium'`)}),
                  ('utm_campaign', ${value(`${alias}."utmParams"->>'utm_campaign'`)}),
                  ('referrer', ${value(`${alias}."referrerHost"`)})) AS d("dimension", "value")`;
}

/**
 * The CTE body adding the rows of `source` (a CTE with a "storeId" column, optionally followed
 * by a WHERE clause) to today's counter of each store.
 */
export function addToDailyRollup(counter: RollupCounter, source: string): string {
  return addCountsToDailyRollup({ [counter]: "count(*)" }, source);
}

/**
 * The CTE body adding aggregates of `source`'s rows (e.g. `count(*) FILTER (WHERE …)`, or a sum
 * of -1/+1 deltas) to several counters at once, per store and per `day` (an expression over
 * `source`'s columns and the store's zone `tz."timeZone"`; the store's local today by default).
 * An existing day row is updated in place.
 */
export function addCountsToDailyRollup(
  counts: Partial<Record<RollupCounter, string>>,
  source: string,
  day: string = TODAY,
): string {
  const counters = Object.keys(counts) as RollupCounter[];
  const columns = counters.map((counter) => `"${counter}"`).join(", ");
  const aggregates = counters.map((counter) => counts[counter]).join(", ");
  const updates = counters
    .map((counter) => `"${counter}" = "StoreDailyStat"."${counter}" + EXCLUDED."${counter}"`)
    .join(", ");
  const [table, ...where] = source.trim().split(/\s+WHERE\s+/);
  return `
  INSERT INTO "StoreDailyStat" ("storeId", "day", ${columns})
  SELECT src."storeId", ${day}, ${aggregates}
    FROM ${table} src JOIN "Store" tz ON tz."id" = src."storeId"
   ${where.length ? `WHERE ${where.join(" WHERE ")}` : ""}
   GROUP BY src."storeId", ${day}
  ON CONFLICT ("storeId", "day") DO UPDATE SET ${updates}
`;
}

/**
 * The CTE bodies (a list of `name AS (…)`, to embed after the statement's own CTEs) adding each
 * row of `source` (a CTE of StoreReferral-shaped rows: "storeId", "channel", "utmParams",
 * "referrerHost"; optionally followed by a WHERE clause) to `counter` of its value of every
 * dimension, on the store's local today. A value the day has not seen gets its own row while the
 * day has fewer than BREAKDOWN_VALUES_PER_DAY (the batch's new values by count, then by value);
 * the others count in "(other)". `prefix` keeps the CTE names apart when a statement has two.
 */
export function addToBreakdownRollup(
  counter: BreakdownCounter,
  source: string,
  prefix = "breakdown",
): string {
  const [table, ...where] = source.trim().split(/\s+WHERE\s+/);
  const filter = where.length ? `WHERE ${where.join(" WHERE ")}` : "";
  const n = BREAKDOWN_VALUES_PER_DAY;
  return `
${prefix}_values AS (
  SELECT src."storeId", ${TODAY} AS "day", d."dimension", d."value", count(*) AS "n"
    FROM ${table} src JOIN "Store" tz ON tz."id" = src."storeId"
   CROSS JOIN LATERAL ${dimensionValues("src")}
   ${filter}
   GROUP BY 1, 2, 3, 4
),
${prefix}_days AS MATERIALIZED (
  -- The values each (store, dimension, day) of the batch already has: one index range scan of
  -- at most BREAKDOWN_VALUES_PER_DAY + 1 rows per group, rather than one probe per value.
  SELECT e.*, cardinality(array_remove(e."existing", '(other)')) AS "used"
    FROM (SELECT g."storeId", g."dimension", g."day",
                 ARRAY(SELECT b."value" FROM "StoreDailyBreakdown" b
                        WHERE b."storeId" = g."storeId" AND b."dimension" = g."dimension"
                          AND b."day" = g."day"
                        LIMIT ${n + 1}) AS "existing"
            FROM (SELECT DISTINCT "storeId", "dimension", "day" FROM ${prefix}_values) g) e
),
${prefix}_known AS MATERIALIZED (
  SELECT v.*, v."value" = '(other)' OR v."value" = ANY(d."existing") AS "known", d."used"
    FROM ${prefix}_values v
    JOIN ${prefix}_days d
      ON d."storeId" = v."storeId" AND d."dimension" = v."dimension" AND d."day" = v."day"
),
${prefix}_rows AS (
  SELECT k."storeId", k."dimension", k."day", k."n",
         CASE WHEN k."known" OR k."used" + row_number() OVER (
                PARTITION BY k."storeId", k."dimension", k."day", k."known"
                ORDER BY k."n" DESC, k."value") <= ${n}
              THEN k."value" ELSE '(other)' END AS "value"
    FROM ${prefix}_known k
),
${prefix}_rollup AS (
  INSERT INTO "StoreDailyBreakdown" ("storeId", "dimension", "day", "value", "${counter}")
  SELECT "storeId", "dimension", "day", "value", sum("n") FROM ${prefix}_rows
   GROUP BY 1, 2, 3, 4
   -- Rows locked in key order: two statements of the same store (a click batch, a sign-up)
   -- would otherwise each hold a value's row the other waits for (deadlock, found by the tests).
   ORDER BY 1, 2, 3, 4
  ON CONFLICT ("storeId", "dimension", "day", "value")
    DO UPDATE SET "${counter}" = "StoreDailyBreakdown"."${counter}" + EXCLUDED."${counter}"
)`;
}

/**
 * An INSERT recounting store $1's breakdown rollup from its rows (after bulk-loading history:
 * the demo), by the same rules as the click path: each event on its local day in the store's
 * zone, values normalised, the first BREAKDOWN_VALUES_PER_DAY values of a day (by clicks) with
 * their own row, the rest in "(other)". Existing rows of those days are replaced. Migration
 * 20261203100100 is the same statement for every store.
 */
export function breakdownFromRowsSql(): string {
  return `
INSERT INTO "StoreDailyBreakdown" ("storeId", "dimension", "day", "value", "clicks", "signups", "activations")
SELECT "storeId", "dimension", "day",
       CASE WHEN "rank" <= ${BREAKDOWN_VALUES_PER_DAY} AND "value" <> '(other)' THEN "value" ELSE '(other)' END,
       sum("clicks"), sum("signups"), sum("activations")
  FROM (
    SELECT v.*, row_number() OVER (PARTITION BY "storeId", "dimension", "day"
                                   ORDER BY "value" = '(other)', "clicks" DESC, "signups" DESC, "value") AS "rank"
      FROM (
        SELECT r."storeId", d."dimension", (e."at" AT TIME ZONE s."timeZone")::date AS "day", d."value",
               count(*) FILTER (WHERE e."kind" = 'clicks') AS "clicks",
               count(*) FILTER (WHERE e."kind" = 'signups') AS "signups",
               count(*) FILTER (WHERE e."kind" = 'activations') AS "activations"
          FROM "StoreReferral" r
          JOIN "Store" s ON s."id" = r."storeId"
         CROSS JOIN LATERAL (VALUES ('clicks', CASE WHEN ${CLICK_ROW_SQL} THEN r."createdAt" END),
                                    ('signups', r."signedUpAt"),
                                    ('activations', r."activatedAt")) AS e("kind", "at")
         CROSS JOIN LATERAL ${dimensionValues("r")}
         WHERE r."storeId" = $1 AND e."at" IS NOT NULL
         GROUP BY 1, 2, 3, 4
      ) v
  ) ranked
 GROUP BY 1, 2, 3, 4
ON CONFLICT ("storeId", "dimension", "day", "value") DO UPDATE SET
  "clicks" = EXCLUDED."clicks", "signups" = EXCLUDED."signups", "activations" = EXCLUDED."activations"`;
}
