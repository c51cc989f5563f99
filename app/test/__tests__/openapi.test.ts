// The OpenAPI check used by every API test must be able to fail.
import { describe, expect, it } from "vitest";

import { assertMatchesOpenApi } from "~/test/openapi";

const rateLimitHeaders = new Headers({
  "ratelimit-limit": "60",
  "ratelimit-remaining": "59",
  "ratelimit-reset": "30",
});

const summary = {
  total_clicks: 3,
  total_signups: 2,
  conversion_rate: 66.7,
  recent_signups_30d: 2,
  total_active: 1,
  flagged_signups: 0,
  qualified_signups: 2,
  timezone: "UTC",
};

function check(overrides: Partial<Parameters<typeof assertMatchesOpenApi>[0]>) {
  return () =>
    assertMatchesOpenApi({
      path: "/api/v1/analytics/summary",
      method: "GET",
      status: 200,
      headers: rateLimitHeaders,
      body: summary,
      ...overrides,
    });
}

describe("assertMatchesOpenApi", () => {
  it("accepts a documented response", () => {
    expect(check({})).not.toThrow();
  });

  it("rejects a body with a missing, mistyped or extra field", () => {
    const { total_active: _omitted, ...missing } = summary;
    expect(check({ body: missing })).toThrow(/does not match/);
    expect(check({ body: { ...summary, total_clicks: "3" } })).toThrow(/does not match/);
    expect(check({ body: { ...summary, store_id: 7 } })).toThrow(/does not match/);
  });

  it("rejects an undocumented status and a missing required header", () => {
    expect(check({ status: 404 })).toThrow(/omits/);
    expect(check({ headers: new Headers() })).toThrow(/RateLimit-Limit/);
  });

  it("checks formats (uuid, date-time) in nested components", () => {
    expect(
      check({
        path: "/api/v1/referrals",
        body: {
          data: [
            {
              id: "not-a-uuid",
              status: "clicked",
              channel: "link",
              referral_code: "store-x-a1b2",
              referred_user: null,
              utm_params: null,
              source_url: null,
              created_at: "yesterday",
              signed_up_at: null,
              activated_at: null,
            },
          ],
          next_cursor: null,
        },
      }),
    ).toThrow(/format/);
  });

  it("checks unknown URLs against the error shape", () => {
    expect(() =>
      assertMatchesOpenApi({
        path: "/api/v1/nope",
        method: "GET",
        status: 404,
        headers: new Headers(),
        body: { error: { code: "not_found", message: "No endpoint" } },
      }),
    ).not.toThrow();
    expect(() =>
      assertMatchesOpenApi({
        path: "/api/v1/nope",
        method: "GET",
        status: 404,
        headers: new Headers(),
        body: { message: "Not found" },
      }),
    ).toThrow(/does not match/);
  });
});
