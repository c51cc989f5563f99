import { describe, expect, it, vi } from "vitest";
import { z } from "zod";

import {
  API_ERROR_CODES,
  API_ERROR_STATUS,
  ApiError,
  withApiErrors,
} from "~/lib/integration-api/errors.server";
import { takeLoggedErrors } from "~/test/logs";

async function bodyOf(response: Response) {
  return (await response.json()) as { error: { code: string; message: string } };
}

describe("ApiError", () => {
  it("maps every code to its status", () => {
    expect(API_ERROR_STATUS).toEqual({
      bad_request: 400,
      unauthorized: 401,
      forbidden: 403,
      not_found: 404,
      method_not_allowed: 405,
      payload_too_large: 413,
      validation_failed: 422,
      rate_limited: 429,
      internal_error: 500,
      service_unavailable: 503,
    });
    expect(Object.keys(API_ERROR_STATUS)).toEqual([...API_ERROR_CODES]);
  });
});

describe("withApiErrors", () => {
  it("answers a thrown ApiError in the one JSON shape, with its headers", async () => {
    const response = await withApiErrors(
      async () => {
        throw new ApiError("rate_limited", "Slow down.", { "retry-after": "12" });
      },
      () => ({ "ratelimit-remaining": "0" }),
    );
    expect(response.status).toBe(429);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("retry-after")).toBe("12");
    expect(response.headers.get("ratelimit-remaining")).toBe("0");
    expect(await bodyOf(response)).toEqual({
      error: { code: "rate_limited", message: "Slow down." },
    });
  });

  it("answers a zod error with a 422 naming the field", async () => {
    const response = await withApiErrors(async () => {
      z.object({ limit: z.int().max(100) }).parse({ limit: 500 });
      return new Response();
    });
    expect(response.status).toBe(422);
    expect(await bodyOf(response)).toEqual({
      error: { code: "validation_failed", message: expect.stringContaining('field "limit"') },
    });
  });

  it("answers an unexpected error with a logged 500 that reveals nothing", async () => {
    const response = await withApiErrors(async () => {
      throw new Error("secret internals");
    });
    expect(response.status).toBe(500);
    expect(await bodyOf(response)).toEqual({
      error: { code: "internal_error", message: "An unexpected error occurred." },
    });
    expect(takeLoggedErrors()).toEqual([
      expect.objectContaining({
        event: "api.unexpected_error",
        error: { name: "Error", message: "secret internals" },
      }),
    ]);
  });

  it.each([
    Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
    Object.assign(new Error("the database system is shutting down"), { code: "57P03" }),
    new Error("timeout exceeded when trying to connect"),
  ])("answers a database outage (%s) with 503 and Retry-After", async (error) => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const response = await withApiErrors(async () => {
      throw error;
    });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('"event":"api.service_unavailable"'));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect((await bodyOf(response)).error.code).toBe("service_unavailable");
  });
});
