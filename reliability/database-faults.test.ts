// PostgreSQL misbehaving under click load: a table lock held for 5 s, the app's connections
// terminated, and the app server itself killed with SIGKILL.
import { describe, expect, it } from "vitest";

import { createTestStore } from "~/test/builders";
import { startAppServer } from "./support/app-server";
import { adminClient, committedClicks, sleep, terminateConnectionsOf } from "./support/database";
import { describeStatuses, formatCount, milliseconds, percentile } from "./support/figures";
import { metricTotal, readMetrics, send } from "./support/http";
import { runShoppers } from "./support/shoppers";

const STALL_MS = 5_000;

describe("reliability", () => {
  it("PostgreSQL stalled (table lock, 5 s) and its connections terminated under click load", async ({
    task,
  }) => {
    // GIVEN the app under steady click load
    const name = "reliability-db-stall";
    const app = await startAppServer({ name });
    try {
      const store = await createTestStore();
      const shoppers = runShoppers({ url: app.url, path: `/r/${store.referralCode}`, seconds: 15 });

      // WHEN another connection locks the click table for 5 s…
      await sleep(2_000);
      const locker = adminClient();
      await locker.connect();
      await locker.query("BEGIN");
      const lockedAt = performance.now();
      await locker.query(`LOCK TABLE "StoreReferral" IN ACCESS EXCLUSIVE MODE`);
      await sleep(STALL_MS);
      await locker.query("COMMIT");
      const lockHeldMs = performance.now() - lockedAt;
      await locker.end();
      // …then the app's connections are terminated, twice
      await sleep(1_500);
      let terminated = await terminateConnectionsOf(name);
      await sleep(1_000);
      terminated += await terminateConnectionsOf(name);
      const run = await shoppers;
      const metrics = await readMetrics(app.url);

      // THEN every shopper was redirected, without waiting for the database
      const redirected = run.statuses[302] ?? 0;
      const lastTwoSeconds = run.acknowledged.filter(({ at }) => at > 13_000).length;
      const found = await committedClicks(run.acknowledged.map(({ clickId }) => clickId));
      const dropped = metricTotal(metrics, "referral_clicks_dropped_total");
      task.meta.figures =
        `${formatCount(run.requests)} shoppers, ${((redirected / run.requests) * 100).toFixed(1)}% redirected ` +
        `(${describeStatuses(run.statuses)}, ${run.errors} connection errors), p99 ${milliseconds(percentile(run.latencies, 99))}, ` +
        `max ${milliseconds(run.maxLatencyMs)}; lock held ${milliseconds(lockHeldMs)}, ${terminated} connections terminated; ` +
        `${formatCount(dropped)} clicks dropped unacknowledged, ${formatCount(run.acknowledged.length)} acknowledged, ` +
        `${formatCount(found)} of them committed; ${formatCount(lastTwoSeconds)} acknowledged in the last 2 s; process up: ${app.running()}`;
      expect(run.errors).toBe(0);
      expect(redirected).toBe(run.requests);
      // The redirect waits at most CLICK_RECORD_TIMEOUT_MS (250 ms) for the database, never the stall.
      expect(run.maxLatencyMs).toBeLessThan(STALL_MS / 2);
      // The faults happened: clicks were dropped during the stall, connections were terminated.
      expect(dropped).toBeGreaterThan(0);
      expect(terminated).toBeGreaterThan(0);
      // AND the process stayed up and recording resumed, every acknowledged click committed
      expect(app.running()).toBe(true);
      expect(lastTwoSeconds).toBeGreaterThan(0);
      expect(found).toBe(new Set(run.acknowledged.map(({ clickId }) => clickId)).size);
    } finally {
      await app.stop();
    }
  });

  it("kill -9 of the server under click load, then a restart: every acknowledged click is committed", async ({
    task,
  }) => {
    // GIVEN the app under click load
    const first = await startAppServer({ name: "reliability-kill" });
    const store = await createTestStore();
    let killed: () => void = () => undefined;
    const killedSignal = new Promise<void>((resolve) => (killed = resolve));
    const shoppers = runShoppers({
      url: first.url,
      path: `/r/${store.referralCode}`,
      seconds: 30,
      stop: killedSignal.then(() => sleep(500)),
    });
    // WHEN it is killed with SIGKILL in the middle of it
    await sleep(3_000);
    await first.kill();
    killed();
    const run = await shoppers;
    // AND started again on the same database
    const restartedAt = performance.now();
    const second = await startAppServer({ name: "reliability-kill-restarted" });
    const restartMs = performance.now() - restartedAt;
    try {
      const after = await send(second.url, {
        path: `/r/${store.referralCode}`,
        headers: {
          "user-agent":
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Chrome/131.0 Safari/537.36",
          "x-forwarded-for": "203.0.113.9",
        },
      });
      // THEN every click a response acknowledged before the kill is in the database
      const acknowledged = new Set(run.acknowledged.map(({ clickId }) => clickId));
      const found = await committedClicks([...acknowledged]);
      task.meta.figures =
        `${formatCount(run.requests)} answered before the kill (${describeStatuses(run.statuses)}), ` +
        `${formatCount(run.errors)} requests refused while it was down; ${formatCount(found)} of ${formatCount(acknowledged.size)} ` +
        `acknowledged clicks committed; restarted in ${milliseconds(restartMs)}, first click after it: ${after.status}`;
      expect(acknowledged.size).toBeGreaterThan(0);
      expect(found).toBe(acknowledged.size);
      expect(after.status).toBe(302);
      expect(after.setCookies.some((cookie) => cookie.startsWith("ref_click="))).toBe(true);
    } finally {
      await second.stop();
    }
  });
});
