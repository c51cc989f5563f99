// The migration that fills the breakdown rollup from the rows stored before it, on a database of
// its own (it writes for every store): values normalised and bounded per day as the click path
// does, and every day's values adding up to that day's counters, including what the rows no
// longer tell (clicks the retention job deleted).
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { BREAKDOWN_VALUES_PER_DAY } from "~/models/referral-rollup";
import { createTestDatabase, migrationStatements, type TestDatabase } from "~/test/database";

const serverUrl = process.env.TEST_DATABASE_URL;
let database: TestDatabase | undefined;
let pool: pg.Pool;

// A database of its own needs a server (PGlite serves one database, the run's).
describe.runIf(serverUrl)("the migration filling StoreDailyBreakdown", () => {
  beforeAll(async () => {
    database = await createTestDatabase({ serverUrl: serverUrl!, prefix: "breakdown_migration" });
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it("counts each day's events per value, bounded, and adds up to StoreDailyStat", async () => {
    // GIVEN a store with two days of history written before the breakdown existed: 130
    // distinct campaigns on day 1 (spelled with spaces and capitals), sign-ups and an
    // activation on day 2, a sign-up without a click, and 7 clicks the retention job deleted
    const { rows: stores } = await pool.query<{ id: number }>(
      `INSERT INTO "Store" ("shopDomain", "name", "slug", "referralCode", "status")
       VALUES ('history.myshopify.com', 'History', 'history', 'store-history-a1b2', 'active')
       RETURNING "id"`,
    );
    const storeId = stores[0]!.id;
    await pool.query(
      `INSERT INTO "StoreReferral" ("storeId", "referralCode", "status", "channel", "utmParams",
                                    "referrerHost", "clickBucket", "createdAt", "signedUpAt",
                                    "activatedAt", "referredUserId")
       SELECT $1, 'store-history-a1b2',
              CASE WHEN g <= 3 THEN 'active' WHEN g <= 10 THEN 'signed_up' ELSE 'clicked' END::"ReferralStatus",
              (ARRAY['link', 'qr'])[1 + g % 2]::"ReferralChannel",
              jsonb_build_object('utm_source', CASE WHEN g % 2 = 0 THEN ' Instagram ' ELSE 'instagram' END,
                                 'utm_campaign', 'Campaign-' || g),
              CASE WHEN g % 3 = 0 THEN 'l.instagram.com' END,
              date_trunc('hour', timestamptz '2026-06-01 10:00Z'), timestamptz '2026-06-01 10:00Z',
              CASE WHEN g <= 10 THEN timestamptz '2026-06-02 09:00Z' END,
              CASE WHEN g <= 3 THEN timestamptz '2026-06-02 12:00Z' END,
              CASE WHEN g <= 10 THEN 'user_history_' || g END
         FROM generate_series(1, 130) AS g`,
      [storeId],
    );
    await pool.query(
      `INSERT INTO "StoreReferral" ("storeId", "referralCode", "status", "referredUserId", "createdAt", "signedUpAt")
       VALUES ($1, 'store-history-a1b2', 'signed_up', 'user_history_direct',
               timestamptz '2026-06-02 15:00Z', timestamptz '2026-06-02 15:00Z')`,
      [storeId],
    );
    await pool.query(
      `INSERT INTO "StoreDailyStat" ("storeId", "day", "clicks", "signups", "activations")
       VALUES ($1, '2026-06-01', 137, 0, 0), ($1, '2026-06-02', 0, 11, 3)`,
      [storeId],
    );
    await pool.query(`DELETE FROM "StoreDailyBreakdown"`);
    // WHEN the migration's statements run
    for (const statement of migrationStatements("20261203100100_fill_daily_breakdowns")) {
      await pool.query(statement);
    }
    // THEN every day and dimension adds up to the day's counters
    const { rows: sums } = await pool.query<{ dimension: string; day: string; ok: boolean }>(
      `SELECT b."dimension", to_char(b."day", 'YYYY-MM-DD') AS "day",
              sum(b."clicks") = s."clicks" AND sum(b."signups") = s."signups"
                AND sum(b."activations") = s."activations" AS "ok"
         FROM "StoreDailyBreakdown" b
         JOIN "StoreDailyStat" s ON s."storeId" = b."storeId" AND s."day" = b."day"
        WHERE b."storeId" = $1 GROUP BY b."dimension", b."day", s."clicks", s."signups", s."activations"`,
      [storeId],
    );
    expect(sums).toHaveLength(10);
    expect(sums.filter((row) => !row.ok)).toEqual([]);
    // AND the sources are normalised into one value, the referrer is the host or (none)
    const valuesOf = async (dimension: string, day: string) =>
      (
        await pool.query<{ value: string; clicks: number; signups: number; activations: number }>(
          `SELECT "value", "clicks", "signups", "activations" FROM "StoreDailyBreakdown"
            WHERE "storeId" = $1 AND "dimension" = $2 AND "day" = $3 ORDER BY "value"`,
          [storeId, dimension, day],
        )
      ).rows;
    expect(await valuesOf("utm_source", "2026-06-01")).toEqual([
      { value: "(other)", clicks: 7, signups: 0, activations: 0 },
      { value: "instagram", clicks: 130, signups: 0, activations: 0 },
    ]);
    expect(await valuesOf("utm_source", "2026-06-02")).toEqual([
      { value: "(none)", clicks: 0, signups: 1, activations: 0 },
      { value: "instagram", clicks: 0, signups: 10, activations: 3 },
    ]);
    expect((await valuesOf("referrer", "2026-06-01")).map((row) => row.value)).toEqual([
      "(none)",
      "(other)",
      "l.instagram.com",
    ]);
    // AND a day keeps at most BREAKDOWN_VALUES_PER_DAY campaigns, the rest in (other)
    const campaigns = await valuesOf("utm_campaign", "2026-06-01");
    expect(campaigns.filter((row) => row.value !== "(other)")).toHaveLength(
      BREAKDOWN_VALUES_PER_DAY,
    );
    expect(campaigns.find((row) => row.value === "(other)")?.clicks).toBe(
      130 - BREAKDOWN_VALUES_PER_DAY + 7,
    );
    expect(campaigns.some((row) => row.value === "campaign-1")).toBe(true);
  });
});
