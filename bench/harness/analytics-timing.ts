// Benchmark harness (never part of the app): times, in process, what the Performance page reads
// for a year: getBreakdown (the five dimensions in turn) and the summary with its daily series,
// for each store in turn (interleaved, so that a busy moment of the machine hits every store
// alike). Usage: node analytics-timing.mjs <iterations> <storeId> [<storeId> …]; prints one JSON
// line with each store's latencies in milliseconds.
import { closeDatabase } from "~/db.server";
import { addDays, localDay } from "~/lib/infra/time-zone";
import { BREAKDOWN_DIMENSIONS } from "~/models/performance";
import {
  getBreakdown,
  getDailySeries,
  getRangeSummary,
  getStoreTimeZone,
} from "~/models/store-performance.server";

const [iterations = "200", ...storeIds] = process.argv.slice(2);
const breakdown: Record<string, number[]> = Object.fromEntries(storeIds.map((id) => [id, []]));
const page: Record<string, number[]> = Object.fromEntries(storeIds.map((id) => [id, []]));

async function readOnce(storeId: number, index: number) {
  const timeZone = await getStoreTimeZone(storeId);
  const today = localDay(new Date(), timeZone);
  const range = { from: addDays(today, -364), to: today, timeZone };
  const dimension = BREAKDOWN_DIMENSIONS[index % BREAKDOWN_DIMENSIONS.length]!;
  const started = performance.now();
  await getBreakdown({ storeId, dimension, range });
  const between = performance.now();
  await Promise.all([getRangeSummary({ storeId, range }), getDailySeries({ storeId, range })]);
  return { breakdown: between - started, page: performance.now() - started };
}

// Warm-up: the pool's connections, the plans, the rollup pages in the buffer cache.
for (const id of storeIds) {
  for (let index = 0; index < 20; index++) await readOnce(Number(id), index);
}
for (let index = 0; index < Number(iterations); index++) {
  for (const id of storeIds) {
    const timing = await readOnce(Number(id), index);
    breakdown[id]!.push(timing.breakdown);
    page[id]!.push(timing.page);
  }
}
await closeDatabase();
console.info(JSON.stringify({ breakdown, page }));
