// The retention purge of 1,000,000 old clicks while shoppers click the same store's link: the
// purge runs inside the serving app instance, in bounded SKIP LOCKED batches, and must not stall
// the click path. The click p99 during the purge is printed beside the one without it (a figure,
// not a timed assertion).
import { describe, expect, it } from "vitest";

import { createTestStore } from "~/test/builders";
import { startAppServer } from "./support/app-server";
import { adminClient, committedClicks, sleep } from "./support/database";
import { describeStatuses, formatCount, milliseconds, percentile } from "./support/figures";
import { metricTotal, readMetrics } from "./support/http";
import { runShoppers, type ShopperRun } from "./support/shoppers";

const OLD_ROWS = 1_000_000;
const KEPT_SIGNUPS = 1_000;
const CONNECTIONS = 20;
const BASELINE_SECONDS = 12;
const PURGE_LIMIT_SECONDS = 240;

async function query<T extends Record<string, unknown>>(sql: string, values: unknown[] = []) {
  const client = adminClient();
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** 1,000,000 clicks of 400 days ago that never became a sign-up, and 1,000 that did: one INSERT. */
async function insertOldRows(storeId: number, referralCode: string) {
  await query(
    `INSERT INTO "StoreReferral" ("storeId", "referralCode", "status", "referredUserId", "channel",
                                  "utmParams", "sourceUrl", "visitorHash", "clickBucket", "createdAt", "signedUpAt")
     SELECT $1, $2,
            (CASE WHEN n <= $4 THEN 'signed_up' ELSE 'clicked' END)::"ReferralStatus",
            CASE WHEN n <= $4 THEN 'user_old' || n END,
            'link', '{"utm_source": "news"}'::jsonb, 'https://syntropyhealth.bio/?ref=' || $2,
            md5(n::text), date_trunc('hour', t), t, CASE WHEN n <= $4 THEN t END
       FROM generate_series(1, $3::int + $4::int) AS n,
            LATERAL (SELECT now() - interval '400 days' - n * interval '1 second' AS t) at`,
    [storeId, referralCode, OLD_ROWS, KEPT_SIGNUPS],
  );
  await query(`ANALYZE "StoreReferral"`);
}

async function oldClicksLeft(storeId: number) {
  const [row] = await query<{ left: number }>(
    `SELECT count(*)::int AS "left" FROM "StoreReferral"
      WHERE "storeId" = $1 AND "status" = 'clicked' AND "createdAt" < now() - interval '396 days'`,
    [storeId],
  );
  return row!.left;
}

function describeRun(label: string, run: ShopperRun) {
  return (
    `${label}: ${formatCount(run.requests)} clicks (${describeStatuses(run.statuses)}), ` +
    `p50 ${milliseconds(percentile(run.latencies, 50))}, p99 ${milliseconds(percentile(run.latencies, 99))}`
  );
}

describe("reliability", () => {
  it(
    "a purge of 1,000,000 old clicks while clicks are served",
    async ({ task }) => {
      // GIVEN a store with 1,000,000 unconverted clicks past 13 months (and 1,000 sign-ups)
      const store = await createTestStore();
      const insertStarted = performance.now();
      await insertOldRows(store.id, store.referralCode);
      const insertMs = performance.now() - insertStarted;
      const path = `/r/${store.referralCode}`;

      // AND the click p99 without a purge (an instance whose purge is not due for a day)
      const quiet = await startAppServer({
        name: "reliability-purge-baseline",
        env: { RETENTION_PURGE_INTERVAL_SECONDS: "86400" },
      });
      let baseline: ShopperRun;
      try {
        await runShoppers({ url: quiet.url, path, connections: CONNECTIONS, seconds: 2 });
        baseline = await runShoppers({
          url: quiet.url,
          path,
          connections: CONNECTIONS,
          seconds: BASELINE_SECONDS,
        });
      } finally {
        await quiet.stop();
      }
      expect(await oldClicksLeft(store.id)).toBe(OLD_ROWS);

      // WHEN an instance whose purge starts within a second serves clicks until it has purged
      const app = await startAppServer({
        name: "reliability-purge",
        env: { RETENTION_PURGE_INTERVAL_SECONDS: "1" },
      });
      try {
        let done: () => void = () => undefined;
        const purged = new Promise<void>((resolve) => (done = resolve));
        const purgeStarted = performance.now();
        const shoppers = runShoppers({
          url: app.url,
          path,
          connections: CONNECTIONS,
          seconds: PURGE_LIMIT_SECONDS,
          stop: purged,
        });
        let left = OLD_ROWS;
        while (left > 0 && performance.now() - purgeStarted < PURGE_LIMIT_SECONDS * 1000) {
          await sleep(1_000);
          left = await oldClicksLeft(store.id);
        }
        const purgeMs = performance.now() - purgeStarted;
        done();
        const during = await shoppers;
        const metrics = await readMetrics(app.url);

        // THEN every old click is gone, the sign-ups stay, every shopper was redirected
        const acknowledged = new Set([
          ...baseline.acknowledged.map(({ clickId }) => clickId),
          ...during.acknowledged.map(({ clickId }) => clickId),
        ]);
        const found = await committedClicks([...acknowledged]);
        const [kept] = await query<{ signups: number }>(
          `SELECT count(*)::int AS "signups" FROM "StoreReferral" WHERE "storeId" = $1 AND "status" = 'signed_up'`,
          [store.id],
        );
        const purgedRows = metricTotal(metrics, "privacy_retention_rows_total");
        task.meta.figures =
          `${formatCount(OLD_ROWS)} old clicks inserted in ${milliseconds(insertMs)}, purged in ${milliseconds(purgeMs)} ` +
          `(${formatCount(purgedRows)} rows by the serving instance's purge); ` +
          `${describeRun("without purge", baseline)}; ${describeRun("during purge", during)}; ` +
          `${formatCount(found)} of ${formatCount(acknowledged.size)} acknowledged clicks committed; ` +
          `${formatCount(during.errors + baseline.errors)} connection errors`;
        console.info(`[retention purge] ${task.meta.figures}`);
        expect(left).toBe(0);
        expect(kept!.signups).toBe(KEPT_SIGNUPS);
        expect(purgedRows).toBeGreaterThanOrEqual(OLD_ROWS);
        for (const run of [baseline, during]) {
          expect(run.errors).toBe(0);
          expect(run.statuses[302] ?? 0).toBe(run.requests);
        }
        expect(during.acknowledged.length).toBeGreaterThan(0);
        expect(found).toBe(acknowledged.size);
      } finally {
        await app.stop();
      }
    },
    PURGE_LIMIT_SECONDS * 1000 + 180_000,
  );
});
