// GET /api/v1/analytics/breakdown, and the `timezone` parameter of the analytics endpoints:
// every response checked against the OpenAPI document (callApi), hostile values answered 4xx.
import { describe, expect, it } from "vitest";

import { addDays, localDay } from "~/lib/infra/time-zone";
import { recordReferralClick } from "~/models/referral-clicks.server";
import { recordReferralSignup } from "~/models/referral-signups.server";
import * as breakdownRoute from "~/routes/api.v1.analytics.breakdown";
import * as summaryRoute from "~/routes/api.v1.analytics.summary";
import * as timeseriesRoute from "~/routes/api.v1.analytics.timeseries";
import { apiRequest, callApi, createTestApiKey } from "~/test/api";
import { createTestStore, uniqueUserId, uniqueVisitor } from "~/test/builders";

/** A store in `timeZone` with 3 clicks from Instagram (2 sign up) and 1 from a newsletter. */
async function storeWithCampaigns(timeZone = "America/New_York") {
  const store = await createTestStore({ timeZone });
  const clicks: Record<string, string>[] = [
    { utm_source: "Instagram", utm_campaign: "spring" },
    { utm_source: "instagram", utm_campaign: "spring" },
    { utm_source: "instagram" },
    { utm_source: "newsletter" },
  ];
  const ids: string[] = [];
  for (const utmParams of clicks) {
    const click = await recordReferralClick({
      referralCode: store.referralCode,
      visitorHash: uniqueVisitor(),
      utmParams,
      referrerHost: "l.instagram.com",
    });
    if (click.recorded) ids.push(click.clickId);
  }
  for (const clickId of ids.slice(0, 2)) {
    await recordReferralSignup({
      referralCode: store.referralCode,
      userId: uniqueUserId(),
      clickId,
    });
  }
  const { key } = await createTestApiKey({ storeId: store.id, scopes: ["read"] });
  return { store, key, today: localDay(new Date(), timeZone) };
}

const breakdown = (query: string, key: string) =>
  callApi(breakdownRoute, apiRequest(`/api/v1/analytics/breakdown?${query}`, { key }));

describe("GET /api/v1/analytics/breakdown", () => {
  it("returns the funnel per value in the store's zone, with the previous period and the change", async () => {
    // GIVEN a New York store with clicks of today
    const { key, today } = await storeWithCampaigns();
    // WHEN its key asks for the utm_source breakdown of the last 7 days
    const from = addDays(today, -6);
    const response = await breakdown(`dimension=utm_source&from=${from}&to=${today}`, key);
    // THEN each source has its funnel, the most clicked first, in the store's zone
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      dimension: "utm_source",
      from,
      to: today,
      previous_from: addDays(from, -7),
      previous_to: addDays(from, -1),
      timezone: "America/New_York",
      rows: [
        {
          value: "instagram",
          current: { clicks: 3, signups: 2, activations: 0, conversion_rate: 66.67 },
          previous: { clicks: 0, signups: 0, activations: 0, conversion_rate: 0 },
          change: { clicks: null, signups: null, activations: null, conversion_rate: 66.67 },
        },
        { value: "newsletter", current: { clicks: 1, signups: 0 } },
      ],
      totals: { current: { clicks: 4, signups: 2, activations: 0, conversion_rate: 50 } },
    });
  });

  it("folds the values past `limit` into (other), still adding up to the totals", async () => {
    const { key, today } = await storeWithCampaigns();
    const response = await breakdown(
      `dimension=utm_campaign&from=${today}&to=${today}&limit=1`,
      key,
    );
    expect(response.status).toBe(200);
    const rows = response.body.rows as Array<{ value: string; current: { clicks: number } }>;
    expect(rows.map((row) => [row.value, row.current.clicks])).toEqual([["(other)", 4]]);
  });

  it("counts in another zone when asked: today's events fall on that zone's day", async () => {
    const { key } = await storeWithCampaigns();
    const tokyoToday = localDay(new Date(), "Asia/Tokyo");
    const response = await breakdown(
      `dimension=referrer&from=${tokyoToday}&to=${tokyoToday}&timezone=Asia/Tokyo`,
      key,
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      timezone: "Asia/Tokyo",
      rows: [{ value: "l.instagram.com", current: { clicks: 4, signups: 2 } }],
    });
  });

  it("never shows another store's figures", async () => {
    const { today } = await storeWithCampaigns();
    const other = await createTestStore();
    const { key } = await createTestApiKey({ storeId: other.id, scopes: ["read"] });
    const response = await breakdown(
      `dimension=channel&from=${addDays(today, -1)}&to=${addDays(today, 1)}`,
      key,
    );
    expect(response.status).toBe(200);
    expect(response.body.rows).toEqual([]);
  });

  it.each([
    ["no dimension", "from=2026-01-01&to=2026-01-31", "dimension"],
    ["an unknown dimension", "dimension=utm_term&from=2026-01-01&to=2026-01-31", "dimension"],
    ["from after to", "dimension=channel&from=2026-02-01&to=2026-01-31", "from"],
    ["a range past the maximum", "dimension=channel&from=2020-01-01&to=2026-01-31", "to"],
    ["year 294277", "dimension=channel&from=294277-01-01&to=294277-01-02", "from"],
    ["0000-00-00", "dimension=channel&from=0000-00-00&to=2026-01-01", "from"],
    ["99999-01-01", "dimension=channel&from=2026-01-01&to=99999-01-01", "to"],
    [
      "1970-01-01 (no room for the previous period)",
      "dimension=channel&from=1970-01-01&to=1970-01-02",
      "from",
    ],
    ["a NUL character", "dimension=channel%00&from=2026-01-01&to=2026-01-31", "dimension"],
    ["a lone surrogate", "dimension=channel&from=2026-01-01%ED%A0%80&to=2026-01-31", "from"],
    ["a huge limit", "dimension=channel&from=2026-01-01&to=2026-01-31&limit=1e308", "limit"],
    ["limit 0", "dimension=channel&from=2026-01-01&to=2026-01-31&limit=0", "limit"],
    ["a huge value", `dimension=${"x".repeat(100_000)}&from=2026-01-01&to=2026-01-31`, "dimension"],
  ])("answers 422 naming the parameter for %s", async (_case, query, parameter) => {
    const { key } = await storeWithCampaigns("UTC");
    const response = await breakdown(query, key);
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ error: { code: "validation_failed" } });
    expect(JSON.stringify(response.body)).toContain(`query parameter \\"${parameter}\\"`);
  });
});

describe("the timezone parameter of summary, timeseries and breakdown", () => {
  const routes = [
    ["summary", summaryRoute, "/api/v1/analytics/summary?"],
    ["timeseries", timeseriesRoute, "/api/v1/analytics/timeseries?from=2026-01-01&to=2026-01-02&"],
    [
      "breakdown",
      breakdownRoute,
      "/api/v1/analytics/breakdown?dimension=channel&from=2026-01-01&to=2026-01-02&",
    ],
  ] as const;
  const hostileZones = [
    "../etc",
    "../../etc/passwd",
    "+05:30",
    "-08:00",
    "utc",
    "america/new_york",
    "Mars/Olympus_Mons",
    "UTC%00",
    "%ED%A0%80",
    "%F0%9F%92%A9",
    "x".repeat(10_000),
    "EST5EDT,M3.2.0,M11.1.0",
  ];

  it.each(
    routes.flatMap(([name, route, path]) =>
      hostileZones.map((zone) => [name, route, path, zone] as const),
    ),
  )("%s refuses timezone=%s with a 422", async (_name, route, path, zone) => {
    const store = await createTestStore();
    const { key } = await createTestApiKey({ storeId: store.id, scopes: ["read"] });
    const response = await callApi(route, apiRequest(`${path}timezone=${zone}`, { key }));
    expect(response.status).toBe(422);
    expect(JSON.stringify(response.body)).toContain('query parameter \\"timezone\\"');
  });

  it("summary counts the last 30 days in the zone asked, the store's by default", async () => {
    const { key } = await storeWithCampaigns("Pacific/Kiritimati");
    const own = await callApi(summaryRoute, apiRequest("/api/v1/analytics/summary", { key }));
    const honolulu = await callApi(
      summaryRoute,
      apiRequest("/api/v1/analytics/summary?timezone=Pacific/Honolulu", { key }),
    );
    expect(own.body).toMatchObject({ timezone: "Pacific/Kiritimati", recent_signups_30d: 2 });
    expect(honolulu.body).toMatchObject({ timezone: "Pacific/Honolulu", recent_signups_30d: 2 });
  });

  it("timeseries counts days in the zone asked", async () => {
    const { key } = await storeWithCampaigns("UTC");
    const kathmandu = localDay(new Date(), "Asia/Kathmandu");
    const response = await callApi(
      timeseriesRoute,
      apiRequest(
        `/api/v1/analytics/timeseries?from=${addDays(kathmandu, -1)}&to=${kathmandu}&timezone=Asia/Kathmandu`,
        { key },
      ),
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      timezone: "Asia/Kathmandu",
      buckets: [
        { start: addDays(kathmandu, -1), clicks: 0 },
        { start: kathmandu, clicks: 4, signups: 2 },
      ],
    });
  });
});
