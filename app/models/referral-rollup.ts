// The per-day rollup (StoreDailyStat) that every referral write adds to in its own statement,
// so that counts and rows can never disagree. Written once here; the click, signup and
// activation statements embed it as a CTE.

export type RollupCounter = "clicks" | "signups" | "activations";

/**
 * The CTE body adding the rows of `source` (a CTE with a "storeId" column, optionally followed
 * by a WHERE clause) to today's (UTC) counter of each store.
 */
export function addToDailyRollup(counter: RollupCounter, source: string): string {
  return `
  INSERT INTO "StoreDailyStat" ("storeId", "day", "${counter}")
  SELECT "storeId", (now() AT TIME ZONE 'UTC')::date, count(*) FROM ${source} GROUP BY "storeId"
  ON CONFLICT ("storeId", "day")
    DO UPDATE SET "${counter}" = "StoreDailyStat"."${counter}" + EXCLUDED."${counter}"
`;
}
