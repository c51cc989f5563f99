// Benchmark harness (never part of the app): the data a benchmark run needs, made with the app's
// own model functions (stores, API keys) and, for volume, with set-based SQL that writes the rows
// and their per-day rollup exactly as the click and signup statements would have.
// Usage (bundled by bench/lib/harness.mjs): node fixtures.mjs click-store
//                                           node fixtures.mjs stats-stores 10000 1000000
//                                           node fixtures.mjs analytics-stores 10000 1000000
// Prints one JSON line.
import { randomBytes } from "node:crypto";

import { closeDatabase, db } from "~/db.server";
import { createApiKey } from "~/models/api-key.server";
import { ensureStoreForShop } from "~/models/store.server";

async function benchStore(label: string) {
  const { store } = await ensureStoreForShop({
    shopDomain: `bench-${label}-${randomBytes(3).toString("hex")}.myshopify.com`,
    name: `Bench ${label}`,
  });
  if (store.status !== "active") throw new Error(`the bench store is ${store.status}`);
  return store;
}

// One year of history: `rows` clicks spread over 365 days; every 10th signed up two hours
// later, every 30th also active three days after its click (never in the future).
const REFERRAL_ROWS_SQL = `
INSERT INTO "StoreReferral" ("storeId", "referralCode", "status", "referredUserId", "utmParams",
                             "sourceUrl", "channel", "visitorHash", "clickBucket", "createdAt",
                             "signedUpAt", "activatedAt")
SELECT $1::int, $2::text,
       CASE WHEN g % 30 = 0 THEN 'active' WHEN g % 10 = 0 THEN 'signed_up' ELSE 'clicked' END::"ReferralStatus",
       CASE WHEN g % 10 = 0 THEN 'bench_user_' || $1::int || '_' || g END,
       CASE WHEN g % 3 = 0 THEN '{"utm_source": "instagram"}'::jsonb END,
       'https://bench.store-referrals.test/r/' || $2::text,
       (ARRAY['link', 'qr', 'storefront', 'other'])[1 + g % 4]::"ReferralChannel",
       md5($1::int || ':' || g),
       date_trunc('hour', c.at, 'UTC'),
       c.at,
       CASE WHEN g % 10 = 0 THEN least(now(), c.at + interval '2 hours') END,
       CASE WHEN g % 30 = 0 THEN least(now(), c.at + interval '3 days') END
  FROM generate_series(1, $3::int) AS g,
       LATERAL (SELECT now() - ((g::bigint * 7919) % (365 * 86400)) * interval '1 second' AS at) AS c`;

// The rollup as recordReferralClick / recordReferralSignup / markReferralActive keep it: a click
// on its UTC day, a signup on the day of signedUpAt, an activation on the day of activatedAt.
const ROLLUP_SQL = `
INSERT INTO "StoreDailyStat" ("storeId", "day", "clicks", "signups", "activations")
SELECT $1, e."day", sum(e."clicks"), sum(e."signups"), sum(e."activations")
  FROM (SELECT ("createdAt" AT TIME ZONE 'UTC')::date AS "day", 1 AS "clicks", 0 AS "signups", 0 AS "activations"
          FROM "StoreReferral" WHERE "storeId" = $1
        UNION ALL
        SELECT ("signedUpAt" AT TIME ZONE 'UTC')::date, 0, 1, 0
          FROM "StoreReferral" WHERE "storeId" = $1 AND "signedUpAt" IS NOT NULL
        UNION ALL
        SELECT ("activatedAt" AT TIME ZONE 'UTC')::date, 0, 0, 1
          FROM "StoreReferral" WHERE "storeId" = $1 AND "activatedAt" IS NOT NULL) AS e
 GROUP BY e."day"
ON CONFLICT ("storeId", "day") DO UPDATE
   SET "clicks" = EXCLUDED."clicks", "signups" = EXCLUDED."signups", "activations" = EXCLUDED."activations"`;

// The same year of history with UTM values and referring sites: 50 values per dimension, out of
// step with each other (the "50 values per dimension"), for the breakdown's figures.
const TAGGED_REFERRAL_ROWS_SQL = REFERRAL_ROWS_SQL.replace(
  `"sourceUrl", "channel",`,
  `"sourceUrl", "channel", "referrerHost",`,
)
  .replace(
    `CASE WHEN g % 3 = 0 THEN '{"utm_source": "instagram"}'::jsonb END,`,
    `jsonb_build_object('utm_source', 'source-' || g % 50, 'utm_medium', 'medium-' || (g * 7) % 50,
                         'utm_campaign', 'campaign-' || (g * 13) % 50),`,
  )
  .replace(
    `(ARRAY['link', 'qr', 'storefront', 'other'])[1 + g % 4]::"ReferralChannel",`,
    `(ARRAY['link', 'qr', 'storefront', 'other'])[1 + g % 4]::"ReferralChannel",
       'site-' || (g * 17) % 50 || '.example',`,
  );

/** One store per size with a year of history (`rowsSql`) and its StoreDailyStat, and a read key. */
async function storesWithHistory(label: string, rowsSql: string, sizes: number[]) {
  const stores = [];
  for (const rows of sizes) {
    const store = await benchStore(`${label}-${rows}`);
    const started = Date.now();
    await db.pool.query(rowsSql, [store.id, store.referralCode, rows]);
    await db.pool.query(ROLLUP_SQL, [store.id]);
    const { key } = await createApiKey({ storeId: store.id, name: "benchmark", scopes: ["read"] });
    stores.push({ rows, storeId: store.id, apiKey: key, seconds: (Date.now() - started) / 1000 });
  }
  await db.pool.query(`ANALYZE "StoreReferral"`);
  await db.pool.query(`ANALYZE "StoreDailyStat"`);
  return stores;
}

/** Stores with a year of tagged history; their breakdown is left empty (the migration fills it). */
function analyticsStores(sizes: number[]) {
  return storesWithHistory("analytics", TAGGED_REFERRAL_ROWS_SQL, sizes);
}

async function statsStores(sizes: number[]) {
  const stores = await storesWithHistory("stats", REFERRAL_ROWS_SQL, sizes);
  const { rows: days } = await db.pool.query<{ storeId: number; days: number }>(
    `SELECT "storeId", count(*)::int AS "days" FROM "StoreDailyStat" WHERE "storeId" = ANY($1::int[]) GROUP BY "storeId"`,
    [stores.map((store) => store.storeId)],
  );
  return stores.map((store) => ({
    ...store,
    rollupDays: days.find((row) => row.storeId === store.storeId)?.days ?? 0,
  }));
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  let result: unknown;
  if (command === "click-store") {
    const store = await benchStore("clicks");
    result = { storeId: store.id, referralCode: store.referralCode };
  } else if (command === "stats-stores") {
    result = await statsStores(args.map(Number));
  } else if (command === "analytics-stores") {
    result = await analyticsStores(args.map(Number));
  } else {
    throw new Error(`unknown command ${command}`);
  }
  await closeDatabase();
  console.info(JSON.stringify(result));
}

await main();
