// Benchmark harness (never part of the app): times getStoreReferralStats, in process, for each
// store in turn (interleaved, so that a busy moment of the machine hits every store alike).
// Usage: node stats-timing.mjs <iterations> <storeId> [<storeId> …]; prints one JSON line with
// each store's latencies in milliseconds.
import { closeDatabase } from "~/db.server";
import { getStoreReferralStats } from "~/models/referral-stats.server";

const [iterations = "500", ...storeIds] = process.argv.slice(2);
const latencies: Record<string, number[]> = Object.fromEntries(storeIds.map((id) => [id, []]));

// Warm-up: the pool's connection, the plans, the rollup pages in the buffer cache.
for (const id of storeIds) {
  for (let index = 0; index < 20; index++) await getStoreReferralStats({ storeId: Number(id) });
}
for (let index = 0; index < Number(iterations); index++) {
  for (const id of storeIds) {
    const started = performance.now();
    await getStoreReferralStats({ storeId: Number(id) });
    latencies[id]!.push(performance.now() - started);
  }
}
await closeDatabase();
console.info(JSON.stringify(latencies));
