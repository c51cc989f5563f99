// The retention purge against the real database. Rows are made old by dating them in 1999 and the
// passes are run "in 2001", so that a pass removes only this file's rows (test files share one
// database): cutoffs are relative to the pass's `now`.
import { describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { renderMetrics } from "~/lib/infra/metrics.server";
import {
  runRetentionPass,
  startRetentionJobs,
  stopRetentionJobs,
} from "~/lib/privacy/retention.server";
import { recordReferralClick } from "~/models/referral-clicks.server";
import { getReferralsForStore } from "~/models/referral-listing.server";
import { recordReferralSignup } from "~/models/referral-signups.server";
import { getStoreReferralStats, getStoreReferralTimeseries } from "~/models/referral-stats.server";
import { createWebhookEndpoint } from "~/models/webhook-endpoint.server";
import * as summaryRoute from "~/routes/api.v1.analytics.summary";
import * as timeseriesRoute from "~/routes/api.v1.analytics.timeseries";
import { apiRequest, callApi, createTestApiKey } from "~/test/api";
import { createTestStore, uniqueUserId, uniqueVisitor } from "~/test/builders";

// Holding a row in one transaction while the purge runs on another connection needs a PostgreSQL
// server (the embedded PGlite serves one connection).
const usesPostgresServer = Boolean(process.env.TEST_DATABASE_URL);

const PASS_TIME = new Date("2001-01-01T00:00:00Z");
const OLD = "1999-06-01T12:00:00Z";

/** Moves a store's rows and rollup `days` days back from 1999-06-01 (as if written then). */
async function ageStore(storeId: number) {
  await db.pool.query(
    `UPDATE "StoreReferral" SET "createdAt" = $2::timestamptz,
            "clickBucket" = CASE WHEN "clickBucket" IS NULL THEN NULL ELSE date_trunc('hour', $2::timestamptz) END,
            "signedUpAt" = CASE WHEN "signedUpAt" IS NULL THEN NULL ELSE $2::timestamptz END
      WHERE "storeId" = $1`,
    [storeId, OLD],
  );
  await db.pool.query(`UPDATE "StoreDailyStat" SET "day" = $2::date WHERE "storeId" = $1`, [
    storeId,
    OLD,
  ]);
}

/** A store with `clicks` clicks, the first `signups` of which signed up, all dated 1999. */
async function oldStore({ clicks, signups }: { clicks: number; signups: number }) {
  const store = await createTestStore();
  const signedUp: string[] = [];
  for (let index = 0; index < clicks; index++) {
    const click = await recordReferralClick({
      referralCode: store.referralCode,
      visitorHash: uniqueVisitor(),
    });
    if (!click.recorded) throw new Error("click not recorded");
    if (index < signups) {
      await recordReferralSignup({
        referralCode: store.referralCode,
        userId: uniqueUserId(),
        clickId: click.clickId,
      });
      signedUp.push(click.clickId);
    }
  }
  await ageStore(store.id);
  return { store, signedUp };
}

async function figures(storeId: number, key: string) {
  const range = { from: "1999-05-01", to: "1999-06-30" };
  const timeseries = `/api/v1/analytics/timeseries?from=${range.from}&to=${range.to}&interval=day`;
  return {
    stats: await getStoreReferralStats({ storeId, now: PASS_TIME }),
    chart: await getStoreReferralTimeseries({ storeId, ...range, interval: "day" }),
    summary: (await callApi(summaryRoute, apiRequest("/api/v1/analytics/summary", { key }))).body,
    series: (await callApi(timeseriesRoute, apiRequest(timeseries, { key }))).body,
  };
}

describe("the retention purge", () => {
  it("deletes old clicks that never became a sign-up and keeps every count", async () => {
    // GIVEN a store with 5 clicks and 2 sign-ups, all of 1999
    const { store, signedUp } = await oldStore({ clicks: 5, signups: 2 });
    const { key } = await createTestApiKey({ storeId: store.id });
    const before = await figures(store.id, key);
    expect(before.stats).toMatchObject({ totalClicks: 5, totalSignups: 2 });
    // WHEN a pass runs 13 months and more later
    const removed = await runRetentionPass({ now: PASS_TIME });
    // THEN the 3 unconverted clicks are gone, the sign-ups stay (without their visitor hash)
    expect(removed.unconverted_clicks).toBeGreaterThanOrEqual(3);
    const rows = await db.prisma.storeReferral.findMany({ where: { storeId: store.id } });
    expect(rows.map((row) => row.id).sort()).toEqual([...signedUp].sort());
    expect(rows.every((row) => row.visitorHash === null && row.clickBucket === null)).toBe(true);
    // AND the stats, the chart and the API answer the same as before
    expect(await figures(store.id, key)).toEqual(before);
    // AND the listing shows what is left
    expect((await getReferralsForStore({ storeId: store.id })).items).toHaveLength(2);
  });

  it("clears visitor hashes past their retention and leaves recent clicks whole", async () => {
    // GIVEN one click 40 days before the pass and one 10 days before
    const store = await createTestStore();
    const ids: string[] = [];
    for (const daysBefore of [40, 10]) {
      const click = await recordReferralClick({
        referralCode: store.referralCode,
        visitorHash: uniqueVisitor(),
      });
      if (!click.recorded) throw new Error("click not recorded");
      const at = new Date(PASS_TIME.getTime() - daysBefore * 86_400_000);
      await db.pool.query(
        `UPDATE "StoreReferral" SET "createdAt" = $2, "clickBucket" = date_trunc('hour', $2::timestamptz) WHERE "id" = $1`,
        [click.clickId, at],
      );
      ids.push(click.clickId);
    }
    // WHEN a pass runs
    await runRetentionPass({ now: PASS_TIME });
    // THEN the 40-day-old click lost its hash (and is kept: 13 months have not passed)
    const [old, recent] = await Promise.all(
      ids.map((id) => db.prisma.storeReferral.findUniqueOrThrow({ where: { id } })),
    );
    expect(old).toMatchObject({ visitorHash: null, clickBucket: null, status: "clicked" });
    expect(recent!.visitorHash).not.toBeNull();
    expect(recent!.clickBucket).not.toBeNull();
  });

  it("purges old inbound webhook records, rate-limit windows and demo users (erasing them), not recent ones", async () => {
    // GIVEN one old and one recent row of each, and a demo user who signed up through a store
    const tag = uniqueVisitor();
    const recent = new Date(PASS_TIME.getTime() - 3_600_000);
    for (const [suffix, at] of [
      ["old", OLD],
      ["recent", recent],
    ] as const) {
      await db.pool.query(
        `INSERT INTO "InboundWebhookDelivery" ("source", "deliveryId", "topic", "receivedAt") VALUES ('clerk', $1, 'user.created', $2)`,
        [`${tag}-${suffix}`, at],
      );
      await db.pool.query(
        `INSERT INTO "ApiRateLimitWindow" ("bucketKey", "windowStart", "hits") VALUES ($1, $2, 1)`,
        [`${tag}-${suffix}`, at],
      );
      await db.pool.query(
        `INSERT INTO "DemoUser" ("id", "email", "createdAt") VALUES ($1, $2, $3)`,
        [`demo_${tag}_${suffix}`, `${tag}-${suffix}@example.com`, at],
      );
    }
    const store = await createTestStore();
    await recordReferralSignup({ referralCode: store.referralCode, userId: `demo_${tag}_old` });
    // WHEN a pass runs
    await runRetentionPass({ now: PASS_TIME });
    // THEN only the recent rows are left, and the old demo user's referral is erased, still counted
    const left = await db.pool.query<{ kind: string; key: string }>(
      `SELECT 'webhook' AS kind, "deliveryId" AS key FROM "InboundWebhookDelivery" WHERE "deliveryId" LIKE $1
       UNION ALL SELECT 'window', "bucketKey" FROM "ApiRateLimitWindow" WHERE "bucketKey" LIKE $1
       UNION ALL SELECT 'demo', "id" FROM "DemoUser" WHERE "id" LIKE $2 ORDER BY 1`,
      [`${tag}-%`, `demo_${tag}_%`],
    );
    expect(left.rows).toEqual([
      { kind: "demo", key: `demo_${tag}_recent` },
      { kind: "webhook", key: `${tag}-recent` },
      { kind: "window", key: `${tag}-recent` },
    ]);
    const [referral] = await db.prisma.storeReferral.findMany({ where: { storeId: store.id } });
    expect(referral).toMatchObject({ referredUserId: null, status: "signed_up" });
    expect(referral!.erasedAt).toBeInstanceOf(Date);
  });

  it.skipIf(!usesPostgresServer)(
    "skips a click a sign-up is converting, and the sign-up commits (nothing acknowledged lost)",
    async () => {
      // GIVEN an old click, and a sign-up of it in a transaction that holds its row
      const { store } = await oldStore({ clicks: 1, signups: 0 });
      const [click] = await db.prisma.storeReferral.findMany({ where: { storeId: store.id } });
      const userId = uniqueUserId();
      const signup = await db.pool.connect();
      try {
        await signup.query("BEGIN");
        await signup.query(
          `UPDATE "StoreReferral" SET "status" = 'signed_up', "referredUserId" = $2, "signedUpAt" = now() WHERE "id" = $1`,
          [click!.id, userId],
        );
        // WHEN a pass runs meanwhile, and a new click arrives during it
        const [removed, newClick] = await Promise.all([
          runRetentionPass({ now: PASS_TIME }),
          recordReferralClick({ referralCode: store.referralCode, visitorHash: uniqueVisitor() }),
        ]);
        // THEN the pass finished without waiting for the sign-up's lock, and the new click is written
        expect(removed).toBeDefined();
        expect(newClick.recorded).toBe(true);
        await signup.query("COMMIT");
      } finally {
        signup.release();
      }
      // AND the converted click is there, signed up
      expect(await db.prisma.storeReferral.findUnique({ where: { id: click!.id } })).toMatchObject({
        status: "signed_up",
        referredUserId: userId,
      });
      expect(await db.prisma.storeReferral.count({ where: { storeId: store.id } })).toBe(2);
    },
  );

  it("purges outbound webhook events past their retention with their deliveries, not recent ones", async () => {
    // GIVEN a store with an endpoint, and two sign-ups' events: one dated 1999, one recent
    const store = await createTestStore();
    const { endpoint } = await createWebhookEndpoint({
      storeId: store.id,
      url: "https://hooks.example.com/retention",
      events: ["referral.signed_up"],
    });
    for (let index = 0; index < 2; index++) {
      await recordReferralSignup({ referralCode: store.referralCode, userId: uniqueUserId() });
    }
    const events = await db.prisma.webhookEvent.findMany({
      where: { storeId: store.id },
      orderBy: { createdAt: "asc" },
    });
    await db.prisma.webhookEvent.update({
      where: { id: events[0]!.id },
      data: { createdAt: new Date(OLD) },
    });
    // WHEN a pass runs in 2001 (the recent one is in the future then: kept)
    const removed = await runRetentionPass({ now: PASS_TIME });
    // THEN the old event and its delivery are gone, the recent ones stay
    expect(removed.webhook_events).toBeGreaterThanOrEqual(1);
    expect(
      (await db.prisma.webhookEvent.findMany({ where: { storeId: store.id } })).map((e) => e.id),
    ).toEqual([events[1]!.id]);
    expect(await db.prisma.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(1);
  });

  it("converts a click purged just before its sign-up into a new counted sign-up row", async () => {
    // GIVEN an old click purged by a pass
    const { store } = await oldStore({ clicks: 1, signups: 0 });
    const [click] = await db.prisma.storeReferral.findMany({ where: { storeId: store.id } });
    await runRetentionPass({ now: PASS_TIME });
    // WHEN its visitor signs up with the old click id
    const signup = await recordReferralSignup({
      referralCode: store.referralCode,
      userId: uniqueUserId(),
      clickId: click!.id,
    });
    // THEN the sign-up is attributed (a new row) and counted
    expect(signup.attributed).toBe(true);
    expect((await getStoreReferralStats({ storeId: store.id })).totalSignups).toBe(1);
  });

  it("shares the work between instances: parallel passes remove each row once", async () => {
    // GIVEN 30 old unconverted clicks
    const { store } = await oldStore({ clicks: 30, signups: 0 });
    // WHEN three instances run a pass at once, in small batches
    const results = await Promise.all(
      [1, 2, 3].map(() => runRetentionPass({ now: PASS_TIME, batchSize: 4 })),
    );
    // THEN every row is gone and no pass failed
    expect(results).toHaveLength(3);
    expect(await db.prisma.storeReferral.count({ where: { storeId: store.id } })).toBe(0);
  });

  it("reports what it removed: a log line and the metrics", async () => {
    await oldStore({ clicks: 2, signups: 0 });
    const logged: string[] = [];
    const original = console.info;
    console.info = (line: string) => logged.push(line);
    try {
      await runRetentionPass({ now: PASS_TIME });
    } finally {
      console.info = original;
    }
    const line = logged
      .map((entry) => JSON.parse(entry))
      .find((entry) => entry.event === "privacy.retention_pass");
    expect(line.removed.unconverted_clicks).toBeGreaterThanOrEqual(2);
    expect(renderMetrics()).toMatch(
      /privacy_retention_rows_total\{task="unconverted_clicks"\} [1-9]/,
    );
  });

  it("runs passes on its own in each process, once started, and stops cleanly", async () => {
    // GIVEN the purge started with a short interval
    const passesCompleted = () =>
      Number(
        /privacy_retention_passes_total\{outcome="completed"\} (\d+)/.exec(renderMetrics())?.[1] ??
          0,
      );
    const before = passesCompleted();
    const job = startRetentionJobs({ intervalMs: 50, clock: () => PASS_TIME });
    // WHEN it is started again (a module reload) and time passes
    expect(startRetentionJobs({ intervalMs: 50, clock: () => PASS_TIME })).toBe(job);
    const deadline = Date.now() + 10_000;
    while (passesCompleted() < before + 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    // THEN passes ran, and stopping waits for the one in flight and schedules no more
    await stopRetentionJobs();
    const stoppedAt = passesCompleted();
    expect(stoppedAt).toBeGreaterThanOrEqual(before + 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(passesCompleted()).toBe(stoppedAt);
  });
});
