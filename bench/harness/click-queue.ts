// Benchmark harness (never part of the app): the click queue and its statement alone, in process,
// without HTTP. `callers` loops each record a click of a new visitor, wait for it, and go again,
// for `seconds`; then every acknowledged click id is looked up in the database.
// Usage: node click-queue.mjs <referralCode> <seconds> [callers]; prints one JSON line.
import { randomBytes } from "node:crypto";

import { closeDatabase, db } from "~/db.server";
import {
  closeClickQueue,
  getClickQueueStats,
  recordReferralClick,
} from "~/models/referral-clicks.server";

const [referralCode = "", seconds = "5", callers = "50"] = process.argv.slice(2);
const visitorPrefix = randomBytes(6).toString("base64url");
let serial = 0;
const clickIds: string[] = [];
const latencies: number[] = [];
let failures = 0;

const end = Date.now() + Number(seconds) * 1000;
async function caller() {
  while (Date.now() < end) {
    const started = performance.now();
    try {
      const result = await recordReferralClick(
        { referralCode, visitorHash: `${visitorPrefix}-${serial++}`, channel: "link" },
        { deadline: Date.now() + 250 },
      );
      if (result.recorded) clickIds.push(result.clickId);
      else failures++;
    } catch {
      failures++;
    }
    latencies.push(performance.now() - started);
  }
}
const started = performance.now();
await Promise.all(Array.from({ length: Number(callers) }, caller));
const elapsedSeconds = (performance.now() - started) / 1000;
const stats = getClickQueueStats();
await closeClickQueue();
const { rows } = await db.pool.query<{ found: number }>(
  `SELECT count(*)::int AS "found" FROM "StoreReferral" WHERE "id" = ANY($1::uuid[])`,
  [clickIds],
);
await closeDatabase();
latencies.sort((a, b) => a - b);
const percentile = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
console.info(
  JSON.stringify({
    clicksPerSecond: clickIds.length / elapsedSeconds,
    acknowledged: clickIds.length,
    found: rows[0]?.found ?? 0,
    failures,
    p50: percentile(0.5),
    p99: percentile(0.99),
    averageBatch: stats && stats.batches > 0 ? stats.itemsWritten / stats.batches : 0,
  }),
);
