// GET /api/v1/openapi.json, the 404 catch-all under /api/v1, and 405 for wrong methods.
import { describe, expect, it } from "vitest";

import * as splatRoute from "~/routes/api.v1.$";
import * as summaryRoute from "~/routes/api.v1.analytics.summary";
import * as openApiRoute from "~/routes/api.v1.openapi[.]json";
import * as activateRoute from "~/routes/api.v1.referrals.activate";
import { REFERRALS_PAGE_MAX } from "~/schemas/api-v1";
import { apiRequest, callApi } from "~/test/api";

interface Document {
  openapi: string;
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: {
    schemas: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
    headers: Record<string, unknown>;
  };
}

async function fetchDocument() {
  return callApi<Document>(openApiRoute, apiRequest("/api/v1/openapi.json"));
}

describe("GET /api/v1/openapi.json", () => {
  it("serves an OpenAPI 3.1 document of every endpoint, without authentication", async () => {
    const response = await fetchDocument();
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe("3.1.0");
    expect(
      Object.entries(response.body.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    ).toEqual([
      "GET /api/v1/analytics/summary",
      "GET /api/v1/analytics/timeseries",
      "GET /api/v1/analytics/breakdown",
      "GET /api/v1/referrals",
      "POST /api/v1/referrals/activate",
      "GET /api/v1/webhooks",
      "POST /api/v1/webhooks",
      "GET /api/v1/openapi.json",
    ]);
  });

  it("documents every outbound webhook event in the top-level webhooks section (OpenAPI 3.1)", async () => {
    const { body } = await fetchDocument();
    const webhooks = (body as unknown as { webhooks: Record<string, unknown> }).webhooks;
    expect(Object.keys(webhooks)).toEqual([
      "referral.signed_up",
      "referral.activated",
      "referral.clicked",
      "store.status_changed",
      "webhook.test",
    ]);
  });

  it("describes security, error responses and rate-limit headers", async () => {
    const { body } = await fetchDocument();
    expect(Object.keys(body.components.securitySchemes)).toEqual(["apiKey", "activationSecret"]);
    expect(body.paths["/api/v1/referrals/activate"]!.post!.security).toEqual([
      { apiKey: ["write"] },
      { activationSecret: [] },
    ]);
    const responses = body.paths["/api/v1/referrals"]!.get!.responses as Record<
      string,
      { headers?: Record<string, unknown> }
    >;
    expect(Object.keys(responses).sort()).toEqual([
      "200",
      "401",
      "403",
      "422",
      "429",
      "500",
      "503",
    ]);
    expect(Object.keys(responses["429"]!.headers!)).toEqual([
      "RateLimit-Limit",
      "RateLimit-Remaining",
      "RateLimit-Reset",
      "Retry-After",
    ]);
  });

  it("is generated from the schemas the routes validate with (with their descriptions)", async () => {
    const { body } = await fetchDocument();
    const parameters = body.paths["/api/v1/referrals"]!.get!.parameters as Array<{
      name: string;
      description?: string;
      schema: { maximum?: number; default?: number };
    }>;
    const limit = parameters.find((parameter) => parameter.name === "limit");
    expect(limit?.schema).toMatchObject({ maximum: REFERRALS_PAGE_MAX, default: 50 });
    expect(parameters.every((parameter) => Boolean(parameter.description))).toBe(true);
    // Every property of every component carries a description.
    for (const [id, schema] of Object.entries(body.components.schemas)) {
      const properties =
        (schema as { properties?: Record<string, { description?: string; $ref?: string }> })
          .properties ?? {};
      for (const [name, property] of Object.entries(properties)) {
        expect(
          Boolean(property.description) || Boolean(property.$ref),
          `${id}.${name} has a description`,
        ).toBe(true);
      }
    }
  });

  it("answers 405 to other methods", async () => {
    const response = await callApi(
      openApiRoute,
      apiRequest("/api/v1/openapi.json", { method: "POST" }),
    );
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
  });
});

describe("unknown URLs and wrong methods under /api/v1", () => {
  it.each([
    ["GET", "/api/v1/nothing-here"],
    ["GET", "/api/v1/analytics"],
    ["POST", "/api/v1/referrals/deactivate"],
    ["DELETE", "/api/v1/v2/anything"],
  ])("answers %s %s with a JSON 404", async (method, url) => {
    const response = await callApi(splatRoute, apiRequest(url, { method }));
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: { code: "not_found", message: expect.stringContaining(url) },
    });
  });

  it("answers a POST to a GET endpoint with a JSON 405 and Allow, before authentication", async () => {
    const response = await callApi(
      summaryRoute,
      apiRequest("/api/v1/analytics/summary", { method: "POST", body: {} }),
    );
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
    expect(response.body).toMatchObject({ error: { code: "method_not_allowed" } });
  });

  it.each(["GET", "PUT", "DELETE"])(
    "answers %s on the activation endpoint with a JSON 405",
    async (method) => {
      const response = await callApi(
        activateRoute,
        apiRequest("/api/v1/referrals/activate", { method }),
      );
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("POST");
    },
  );
});
