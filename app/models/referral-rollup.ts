// The per-day rollup (StoreDailyStat) that every referral write adds to in its own statement,
// so that counts and rows can never disagree. Written once here; the click, signup, activation
// and review statements embed it as a CTE.

export type RollupCounter =
  "clicks" | "signups" | "activations" | "flaggedSignups" | "rejectedSignups";

/** Today's UTC day, the day a new event counts on. */
const TODAY = `(now() AT TIME ZONE 'UTC')::date`;

/**
 * The CTE body adding the rows of `source` (a CTE with a "storeId" column, optionally followed
 * by a WHERE clause) to today's (UTC) counter of each store.
 */
export function addToDailyRollup(counter: RollupCounter, source: string): string {
  return addCountsToDailyRollup({ [counter]: "count(*)" }, source);
}

/**
 * The CTE body adding aggregates of `source`'s rows (e.g. `count(*) FILTER (WHERE …)`, or a sum
 * of -1/+1 deltas) to several counters at once, per store and per `day` (an expression over
 * `source`'s columns; today's UTC day by default). An existing day row is updated in place.
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
  return `
  INSERT INTO "StoreDailyStat" ("storeId", "day", ${columns})
  SELECT "storeId", ${day}, ${aggregates} FROM ${source} GROUP BY "storeId", ${day}
  ON CONFLICT ("storeId", "day") DO UPDATE SET ${updates}
`;
}
