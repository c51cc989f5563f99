// Authentication and scopes of the Integration API: every failure is a 401/403 in the one JSON
// error shape, on every endpoint.
import { describe, expect, it } from "vitest";

import { revokeApiKey } from "~/models/api-key.server";
import { changeStoreStatus } from "~/models/store.server";
import * as summaryRoute from "~/routes/api.v1.analytics.summary";
import * as timeseriesRoute from "~/routes/api.v1.analytics.timeseries";
import * as referralsRoute from "~/routes/api.v1.referrals";
import * as activateRoute from "~/routes/api.v1.referrals.activate";
import { apiRequest, callApi, createTestApiKey } from "~/test/api";
import { createTestStore, uniqueUserId } from "~/test/builders";

const ACTIVATION_SECRET = "test-activation-secret-0123456789";

const readEndpoints = [
  { name: "summary", route: summaryRoute, url: "/api/v1/analytics/summary" },
  {
    name: "timeseries",
    route: timeseriesRoute,
    url: "/api/v1/analytics/timeseries?from=2026-01-01&to=2026-01-07",
  },
  { name: "referrals", route: referralsRoute, url: "/api/v1/referrals" },
] as const;

const allEndpoints = [
  ...readEndpoints.map((endpoint) => ({ ...endpoint, method: "GET", body: undefined })),
  {
    name: "activate",
    route: activateRoute,
    url: "/api/v1/referrals/activate",
    method: "POST",
    body: { user_id: "user_unknown" },
  },
];

describe.each(allEndpoints)("$name: authentication", ({ route, url, method, body }) => {
  it("answers 401 without an Authorization header", async () => {
    const response = await callApi(route, apiRequest(url, { method, body }));
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      error: { code: "unauthorized", message: expect.stringContaining("Missing Authorization") },
    });
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
  });

  it.each(["sr_live_abc", "Basic dXNlcjpwYXNz", "Bearer", "Bearer two tokens"])(
    "answers 401 to the malformed header %j",
    async (authorization) => {
      const response = await callApi(route, apiRequest(url, { method, body, authorization }));
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ error: { code: "unauthorized" } });
    },
  );

  it("answers 401 to a well-formed key that does not exist", async () => {
    const response = await callApi(
      route,
      apiRequest(url, { method, body, key: `sr_live_${"x".repeat(43)}` }),
    );
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      error: { code: "unauthorized", message: "The API key is not valid or has been revoked." },
    });
  });

  it("answers 401 to a revoked key", async () => {
    // GIVEN a key that worked, then was revoked
    const store = await createTestStore();
    const { key, apiKey } = await createTestApiKey({ storeId: store.id });
    await revokeApiKey({ storeId: store.id, apiKeyId: apiKey.id });
    // WHEN it is used
    const response = await callApi(route, apiRequest(url, { method, body, key }));
    // THEN it is refused like an unknown key
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: { code: "unauthorized" } });
  });

  it("answers 403 to a key of a suspended store", async () => {
    const store = await createTestStore();
    const { key } = await createTestApiKey({ storeId: store.id });
    await changeStoreStatus({
      shopDomain: store.shopDomain,
      to: "suspended",
      actor: "operator",
      reason: "test",
    });
    const response = await callApi(route, apiRequest(url, { method, body, key }));
    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      error: { code: "forbidden", message: "The store of this API key is suspended." },
    });
  });
});

describe.each(readEndpoints)("$name: scopes", ({ route, url }) => {
  it("answers 403 to a key without the read scope", async () => {
    const store = await createTestStore();
    const { key } = await createTestApiKey({ storeId: store.id, scopes: ["write"] });
    const response = await callApi(route, apiRequest(url, { key }));
    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      error: { code: "forbidden", message: 'This API key lacks the "read" scope.' },
    });
  });

  it("answers 200 to a key with the read scope", async () => {
    const store = await createTestStore();
    const { key } = await createTestApiKey({ storeId: store.id, scopes: ["read"] });
    const response = await callApi(route, apiRequest(url, { key }));
    expect(response.status).toBe(200);
  });

  it("does not take the activation secret (it has no store)", async () => {
    const response = await callApi(
      route,
      apiRequest(url, { authorization: `Bearer ${ACTIVATION_SECRET}` }),
    );
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: { code: "unauthorized" } });
  });
});

describe("activate: scopes", () => {
  it("answers 403 to a key without the write scope, and activates nothing", async () => {
    const store = await createTestStore();
    const { key } = await createTestApiKey({ storeId: store.id, scopes: ["read"] });
    const response = await callApi(
      activateRoute,
      apiRequest("/api/v1/referrals/activate", {
        method: "POST",
        key,
        body: { user_id: uniqueUserId() },
      }),
    );
    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      error: { code: "forbidden", message: 'This API key lacks the "write" scope.' },
    });
  });
});
