// Two app processes on one PostgreSQL, as behind a load balancer: what must hold across them
// lives in the database (click deduplication, the Integration API's rate limit), never in memory.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { verifyClickId } from "~/lib/referral-links/cookie.server";
import { createApiKey } from "~/models/api-key.server";
import { RATE_LIMIT_WINDOW_MS } from "~/models/rate-limit.server";
import { createTestStore } from "~/test/builders";
import { BROWSER_USER_AGENT } from "~/test/shopify";
import { startAppServer, type AppServer } from "./support/app-server";
import { sleep } from "./support/database";
import { describeStatuses } from "./support/figures";
import { send } from "./support/http";

const RATE_LIMIT = 30;
let instances: AppServer[] = [];

beforeAll(async () => {
  const env = { API_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) };
  instances = await Promise.all([
    startAppServer({ name: "reliability-instance-a", env }),
    startAppServer({ name: "reliability-instance-b", env }),
  ]);
});

afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
});

describe("reliability", () => {
  it("Two app instances on one PostgreSQL: one visitor's clicks through both count once", async ({
    task,
  }) => {
    // GIVEN a store, and one visitor (same address, same browser)
    const store = await createTestStore();
    const headers = { "user-agent": BROWSER_USER_AGENT, "x-forwarded-for": "203.0.113.77" };
    // Clicks count once per visitor and hour: never straddle the hour.
    const intoHour = Date.now() % 3_600_000;
    if (intoHour > 3_600_000 - 5_000) await sleep(3_600_000 - intoHour + 100);
    // WHEN the visitor's 20 clicks arrive at once, 10 through each instance
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        send(instances[index % 2]!.url, { path: `/r/${store.referralCode}`, headers }),
      ),
    );
    // THEN every click is acknowledged with the same click id: one row, one counted click
    const clickIds = responses.map((response) =>
      verifyClickId(
        response.setCookies.map((cookie) => /^ref_click=([^;]+)/.exec(cookie)?.[1]).find(Boolean),
      ),
    );
    const rows = await db.prisma.storeReferral.count({ where: { storeId: store.id } });
    const counted = (
      await db.prisma.storeDailyStat.findMany({ where: { storeId: store.id } })
    ).reduce((sum, day) => sum + day.clicks, 0);
    task.meta.figures =
      `20 clicks (10 per instance, at once): ${describeStatuses(responses.map((response) => response.status))}, ` +
      `${new Set(clickIds).size} distinct click id, ${rows} StoreReferral row, ${counted} click counted`;
    expect(responses.every((response) => response.status === 302)).toBe(true);
    expect(clickIds.every((clickId) => clickId !== null)).toBe(true);
    expect(new Set(clickIds).size).toBe(1);
    expect(rows).toBe(1);
    expect(counted).toBe(1);
  });

  it("Two app instances on one PostgreSQL: the API rate limit holds across both", async ({
    task,
  }) => {
    // GIVEN a key of a store, and a fresh rate-limit window (not about to end)
    const store = await createTestStore();
    const { key } = await createApiKey({
      storeId: store.id,
      name: "reliability",
      scopes: ["read"],
    });
    const intoWindow = Date.now() % RATE_LIMIT_WINDOW_MS;
    if (intoWindow > RATE_LIMIT_WINDOW_MS - 15_000)
      await sleep(RATE_LIMIT_WINDOW_MS - intoWindow + 100);
    // WHEN twice the limit of requests arrive at once, alternating between the instances
    const responses = await Promise.all(
      Array.from({ length: RATE_LIMIT * 2 }, (_, index) =>
        send(instances[index % 2]!.url, {
          path: "/api/v1/analytics/summary",
          headers: { authorization: `Bearer ${key}` },
        }),
      ),
    );
    // THEN exactly the limit is served, across both instances, and the rest is refused with 429
    const byInstance = instances.map(
      (_, instance) =>
        responses.filter((response, index) => index % 2 === instance && response.status === 200)
          .length,
    );
    const limited = responses.filter((response) => response.status === 429);
    task.meta.figures =
      `${RATE_LIMIT * 2} requests with one key, limit ${RATE_LIMIT}/min: ${describeStatuses(responses.map((response) => response.status))} ` +
      `(served ${byInstance.join(" + ")} by the two instances), every 429 with Retry-After: ${limited.every((response) => Boolean(response.headers["retry-after"]))}`;
    expect(responses.filter((response) => response.status === 200)).toHaveLength(RATE_LIMIT);
    expect(limited).toHaveLength(RATE_LIMIT);
    expect(byInstance.every((served) => served > 0)).toBe(true);
    expect(limited.every((response) => Boolean(response.headers["retry-after"]))).toBe(true);
  });
});
