// The per-key rate limit as clients see it: RateLimit-* headers, 429 + Retry-After, a new
// budget in the next window. The window clock is the (faked) Date, so no test waits a minute.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { resetEnvForTests } from "~/env.server";
import { RATE_LIMIT_WINDOW_MS } from "~/models/rate-limit.server";
import * as summaryRoute from "~/routes/api.v1.analytics.summary";
import * as referralsRoute from "~/routes/api.v1.referrals";
import { apiRequest, callApi, createTestApiKey } from "~/test/api";
import { createTestStore } from "~/test/builders";

const summary = (key: string) =>
  callApi(summaryRoute, apiRequest("/api/v1/analytics/summary", { key }));

let windowMiddle: number;

beforeEach(() => {
  process.env.API_RATE_LIMIT_PER_MINUTE = "3";
  resetEnvForTests();
  // 30 s into the current window: the test never straddles two windows by accident.
  windowMiddle =
    Math.floor(Date.now() / RATE_LIMIT_WINDOW_MS) * RATE_LIMIT_WINDOW_MS + RATE_LIMIT_WINDOW_MS / 2;
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(windowMiddle);
});

afterEach(() => {
  vi.useRealTimers();
  delete process.env.API_RATE_LIMIT_PER_MINUTE;
  resetEnvForTests();
});

describe("Integration API rate limit", () => {
  it("reports the budget on every response and answers 429 with Retry-After past it", async () => {
    // GIVEN a limit of 3 requests per minute
    const store = await createTestStore();
    const { key } = await createTestApiKey({ storeId: store.id });
    // WHEN the key makes 4 requests in one window
    const responses = [];
    for (let index = 0; index < 4; index++) responses.push(await summary(key));
    // THEN 3 succeed, counting down, and the 4th is refused until the window ends
    expect(
      responses.map((response) => [
        response.status,
        response.headers.get("ratelimit-limit"),
        response.headers.get("ratelimit-remaining"),
        response.headers.get("ratelimit-reset"),
      ]),
    ).toEqual([
      [200, "3", "2", "30"],
      [200, "3", "1", "30"],
      [200, "3", "0", "30"],
      [429, "3", "0", "30"],
    ]);
    expect(responses[3]!.headers.get("retry-after")).toBe("30");
    expect(responses[3]!.body).toEqual({
      error: {
        code: "rate_limited",
        message: "Rate limit of 3 requests per minute reached; retry in 30 s.",
      },
    });
  });

  it("gives the key a whole budget again in the next window", async () => {
    const store = await createTestStore();
    const { key } = await createTestApiKey({ storeId: store.id });
    for (let index = 0; index < 3; index++) await summary(key);
    expect((await summary(key)).status).toBe(429);
    // WHEN the clock reaches the next window
    vi.setSystemTime(windowMiddle + RATE_LIMIT_WINDOW_MS);
    // THEN the key is served again with a fresh budget
    const response = await summary(key);
    expect(response.status).toBe(200);
    expect(response.headers.get("ratelimit-remaining")).toBe("2");
  });

  it("counts each key apart, even two keys of one store", async () => {
    const store = await createTestStore();
    const first = await createTestApiKey({ storeId: store.id });
    const second = await createTestApiKey({ storeId: store.id });
    for (let index = 0; index < 4; index++) await summary(first.key);
    const response = await summary(second.key);
    expect(response.status).toBe(200);
    expect(response.headers.get("ratelimit-remaining")).toBe("2");
  });

  it("is not spent by failed authentication, so nobody can exhaust another key's budget", async () => {
    // GIVEN a valid key and many requests with wrong keys and malformed headers
    const store = await createTestStore();
    const { key } = await createTestApiKey({ storeId: store.id });
    for (let index = 0; index < 5; index++) {
      const wrong = await summary(`${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`);
      expect(wrong.status).toBe(401);
      // A refused request has no budget to report.
      expect(wrong.headers.get("ratelimit-remaining")).toBeNull();
    }
    // WHEN the real key is used
    const response = await summary(key);
    // THEN its whole budget is still there
    expect(response.status).toBe(200);
    expect(response.headers.get("ratelimit-remaining")).toBe("2");
  });

  it("counts and reports on refused requests too (here a 422)", async () => {
    const store = await createTestStore();
    const { key } = await createTestApiKey({ storeId: store.id });
    const response = await callApi(
      referralsRoute,
      apiRequest("/api/v1/referrals?limit=0", { key }),
    );
    expect(response.status).toBe(422);
    expect(response.headers.get("ratelimit-remaining")).toBe("2");
  });
});
