// GET /api/v1/analytics/summary and /api/v1/analytics/timeseries.
import { describe, expect, it } from "vitest";

import { recordReferralClick } from "~/models/referral-clicks.server";
import { reviewFlaggedReferral } from "~/models/referral-review.server";
import { markReferralActive, recordReferralSignup } from "~/models/referral-signups.server";
import { utcDay } from "~/models/referral-stats.server";
import * as summaryRoute from "~/routes/api.v1.analytics.summary";
import * as timeseriesRoute from "~/routes/api.v1.analytics.timeseries";
import { apiRequest, callApi, createTestApiKey } from "~/test/api";
import { createTestStore, uniqueUserId, uniqueVisitor } from "~/test/builders";

/** A store with 3 clicks, 2 of them signed up and 1 of those active (all today). */
async function storeWithFunnel() {
  const store = await createTestStore();
  const clickIds: string[] = [];
  for (let index = 0; index < 3; index++) {
    const click = await recordReferralClick({
      referralCode: store.referralCode,
      visitorHash: uniqueVisitor(),
    });
    if (click.recorded) clickIds.push(click.clickId);
  }
  const users = [uniqueUserId(), uniqueUserId()];
  for (const [index, userId] of users.entries()) {
    await recordReferralSignup({
      referralCode: store.referralCode,
      userId,
      clickId: clickIds[index],
    });
  }
  await markReferralActive({ userId: users[0]! });
  return store;
}

describe("GET /api/v1/analytics/summary", () => {
  it("returns the stats dict of the key's store, without the per-day series", async () => {
    const store = await storeWithFunnel();
    const { key } = await createTestApiKey({ storeId: store.id, scopes: ["read"] });

    const response = await callApi(summaryRoute, apiRequest("/api/v1/analytics/summary", { key }));

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      total_clicks: 3,
      total_signups: 2,
      conversion_rate: 66.7,
      recent_signups_30d: 2,
      total_active: 1,
      flagged_signups: 0,
      qualified_signups: 2,
      timezone: "UTC",
    });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("counts flagged signups apart and leaves rejected ones out of the qualified count", async () => {
    // GIVEN a store with two clean signups and three flagged ones, one approved, one rejected
    const store = await storeWithFunnel();
    const flagged: string[] = [];
    for (const reason of ["disposable_email", "repeat_visitor", "self_referral_email"]) {
      const signup = await recordReferralSignup({
        referralCode: store.referralCode,
        userId: uniqueUserId(),
        quality: { flagReasons: [reason], checksNotRun: [] },
      });
      flagged.push(signup.referralId!);
    }
    await reviewFlaggedReferral({ referralId: flagged[0]!, decision: "approved" });
    await reviewFlaggedReferral({ referralId: flagged[1]!, decision: "rejected", note: "Test" });
    const { key } = await createTestApiKey({ storeId: store.id, scopes: ["read"] });
    // WHEN its key reads the summary
    const response = await callApi(summaryRoute, apiRequest("/api/v1/analytics/summary", { key }));
    // THEN the seeds' figures count every signup; one is still flagged, three qualify
    expect(response.body).toMatchObject({
      total_signups: 5,
      recent_signups_30d: 5,
      flagged_signups: 1,
      qualified_signups: 3,
    });
  });

  it("never shows another store's figures", async () => {
    // GIVEN store B has a funnel and store A has nothing
    await storeWithFunnel();
    const storeA = await createTestStore();
    const { key } = await createTestApiKey({ storeId: storeA.id });
    // WHEN A's key reads the summary
    const response = await callApi(summaryRoute, apiRequest("/api/v1/analytics/summary", { key }));
    // THEN it sees only zeros
    expect(response.body).toEqual({
      total_clicks: 0,
      total_signups: 0,
      conversion_rate: 0,
      recent_signups_30d: 0,
      total_active: 0,
      flagged_signups: 0,
      qualified_signups: 0,
      timezone: "UTC",
    });
  });
});

describe("GET /api/v1/analytics/timeseries", () => {
  const timeseries = (query: string, key: string) =>
    callApi(timeseriesRoute, apiRequest(`/api/v1/analytics/timeseries?${query}`, { key }));

  it("returns today's clicks, signups and activations in daily buckets", async () => {
    const store = await storeWithFunnel();
    const { key } = await createTestApiKey({ storeId: store.id });
    const today = utcDay(new Date());

    const response = await timeseries(`from=${today}&to=${today}`, key);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      from: today,
      to: today,
      interval: "day",
      timezone: "UTC",
      buckets: [{ start: today, end: today, clicks: 3, signups: 2, activations: 1 }],
    });
  });

  it("returns weekly buckets when asked", async () => {
    const store = await createTestStore();
    const { key } = await createTestApiKey({ storeId: store.id });
    // Monday 2 March 2026 to Sunday 15 March 2026: two whole ISO weeks.
    const response = await timeseries("from=2026-03-02&to=2026-03-15&interval=week", key);
    expect(response.status).toBe(200);
    expect(response.body.buckets).toEqual([
      { start: "2026-03-02", end: "2026-03-08", clicks: 0, signups: 0, activations: 0 },
      { start: "2026-03-09", end: "2026-03-15", clicks: 0, signups: 0, activations: 0 },
    ]);
  });

  it("never shows another store's figures", async () => {
    await storeWithFunnel();
    const storeA = await createTestStore();
    const { key } = await createTestApiKey({ storeId: storeA.id });
    const today = utcDay(new Date());
    const response = await timeseries(`from=${today}&to=${today}`, key);
    expect(response.body.buckets).toEqual([
      { start: today, end: today, clicks: 0, signups: 0, activations: 0 },
    ]);
  });

  it.each([
    ["to=2026-01-07", "from", 'Invalid query parameter "from"'],
    ["from=2026-01-01", "to", 'Invalid query parameter "to"'],
    ["from=2026-02-30&to=2026-03-01", "from", 'Invalid query parameter "from"'],
    [
      "from=01/01/2026&to=2026-03-01",
      "from",
      'Invalid query parameter "from": must be a date (YYYY-MM-DD). Expected: First day of the range, YYYY-MM-DD (from 1970-01-01 to 9999-12-30), included. Example: from=2026-11-30.',
    ],
    [
      "from=2026-01-01&to=2026-01-07&interval=month",
      "interval",
      'Invalid query parameter "interval": must be one of day, week. Expected: Bucket size: a day, or an ISO week (Monday to Sunday), in `timezone`. Example: interval=day.',
    ],
    ["from=2026-01-08&to=2026-01-07", "from", "must be on or before `to`"],
    ["from=2025-01-01&to=2026-01-02", "to", "at most 366 days for interval=day"],
    ["from=2024-01-01&to=2026-01-02&interval=week", "to", "at most 731 days for interval=week"],
  ])("answers 422 to %s, naming %s", async (query, field, message) => {
    const store = await createTestStore();
    const { key } = await createTestApiKey({ storeId: store.id });
    const response = await timeseries(query, key);
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      error: {
        code: "validation_failed",
        message: expect.stringContaining(`"${field}"`),
      },
    });
    expect((response.body as { error: { message: string } }).error.message).toContain(message);
  });

  it.each([
    ["from=0000-01-01&to=0000-01-07", "from"],
    ["from=1969-12-31&to=1970-01-01", "from"],
    ["from=275760-09-13&to=275760-09-13", "from"],
    ["from=%2B275760-09-13&to=2026-01-01", "from"],
    ["from=-000001-01-01&to=2026-01-01", "from"],
    ["from=9999-12-01&to=9999-12-31", "to"],
    ["from=2026-01-01&to=275760-09-13", "to"],
  ])("answers 422 to a day out of the supported range: %s", async (query, field) => {
    // GIVEN a key
    const store = await createTestStore();
    const { key } = await createTestApiKey({ storeId: store.id });
    // WHEN a day PostgreSQL or JavaScript cannot hold is asked for
    const response = await timeseries(query, key);
    // THEN a 422 names the field (never a 500)
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      error: {
        code: "validation_failed",
        message: expect.stringContaining(`query parameter "${field}"`),
      },
    });
  });

  it("accepts the first and last supported days", async () => {
    const store = await createTestStore();
    const { key } = await createTestApiKey({ storeId: store.id });
    const first = await timeseries("from=1970-01-01&to=1970-01-02", key);
    const last = await timeseries("from=9999-12-29&to=9999-12-30&interval=week", key);
    expect(first.status).toBe(200);
    expect(first.body.buckets).toHaveLength(2);
    expect(last.status).toBe(200);
    expect(last.body).toMatchObject({ from: "9999-12-29", to: "9999-12-30" });
  });

  it("accepts a whole year of days", async () => {
    const store = await createTestStore();
    const { key } = await createTestApiKey({ storeId: store.id });
    const response = await timeseries("from=2024-01-01&to=2024-12-31", key);
    expect(response.status).toBe(200);
    expect(response.body.buckets).toHaveLength(366);
  });
});
