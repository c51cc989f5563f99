import { describe, expect, it } from "vitest";

import { EnvironmentError, parseEnvironment } from "~/env.server";

describe("parseEnvironment", () => {
  it("runs with no configuration at all outside production (the demo)", () => {
    const env = parseEnvironment({});
    expect(env).toMatchObject({
      NODE_ENV: "development",
      PORT: 3000,
      SHOPIFY_APP_URL: "http://localhost:3000",
      PUBLIC_SITE_URL: "http://localhost:3000",
      clerkEnabled: false,
      demoFeaturesEnabled: true,
      demoAdminEnabled: true,
      API_RATE_LIMIT_PER_MINUTE: 60,
    });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("keeps the local admin stand-in off when the app has its real Shopify secret", () => {
    // GIVEN development with the app's own credentials (as `shopify app dev` provides them)
    const env = parseEnvironment({ SHOPIFY_API_KEY: "key", SHOPIFY_API_SECRET: "real-secret" });

    // THEN the demo identity stays, but nothing signs session tokens with that secret
    expect(env).toMatchObject({ demoFeaturesEnabled: true, demoAdminEnabled: false });
  });

  it("respects PORT in the default app URL", () => {
    expect(parseEnvironment({ PORT: "4123" }).SHOPIFY_APP_URL).toBe("http://localhost:4123");
  });

  it("names every variable production needs and lacks", () => {
    let error: unknown;
    try {
      parseEnvironment({ NODE_ENV: "production", SHOPIFY_API_KEY: "key" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvironmentError);
    const message = (error as Error).message;
    for (const name of [
      "DATABASE_URL",
      "SHOPIFY_API_SECRET",
      "SHOPIFY_APP_URL",
      "APP_SECRET",
      "CLERK_PUBLISHABLE_KEY",
      "CLERK_SECRET_KEY",
    ]) {
      expect(message).toContain(`${name}: required when NODE_ENV=production`);
    }
    expect(message).not.toContain("SHOPIFY_API_KEY:");
  });

  it("names invalid values", () => {
    expect(() => parseEnvironment({ PORT: "eighty", SHOPIFY_APP_URL: "not a url" })).toThrow(
      /PORT: .*\n.*SHOPIFY_APP_URL: /s,
    );
    expect(() => parseEnvironment({ APP_SECRET: "short" })).toThrow(/APP_SECRET/);
  });

  it("never enables the demo features in production", () => {
    const env = parseEnvironment({
      NODE_ENV: "production",
      DATABASE_URL: "postgresql://db.example.com/app",
      SHOPIFY_API_KEY: "key",
      SHOPIFY_API_SECRET: "secret",
      SHOPIFY_APP_URL: "https://referrals.example.com/",
      APP_SECRET: "x".repeat(40),
      CLERK_PUBLISHABLE_KEY: "pk_live_x",
      CLERK_SECRET_KEY: "sk_live_x",
    });
    expect(env).toMatchObject({
      isProduction: true,
      demoFeaturesEnabled: false,
      demoAdminEnabled: false,
      clerkEnabled: true,
      SHOPIFY_APP_URL: "https://referrals.example.com",
    });
  });

  it("trusts one proxy hop by default (the one load balancer) and when the value is empty", () => {
    expect(parseEnvironment({}).TRUSTED_PROXY_HOPS).toBe(1);
    expect(parseEnvironment({ TRUSTED_PROXY_HOPS: "" }).TRUSTED_PROXY_HOPS).toBe(1);
  });

  it.each([
    ["0", 0],
    ["2", 2],
    [" 10 ", 10],
  ])("accepts TRUSTED_PROXY_HOPS=%j", (value, hops) => {
    expect(parseEnvironment({ TRUSTED_PROXY_HOPS: value }).TRUSTED_PROXY_HOPS).toBe(hops);
  });

  it.each(["-1", "11", "1.5", "one"])("refuses TRUSTED_PROXY_HOPS=%j at start-up", (value) => {
    expect(() => parseEnvironment({ TRUSTED_PROXY_HOPS: value })).toThrow(/TRUSTED_PROXY_HOPS: /);
  });

  it("has documented retention defaults, also for empty values", () => {
    const defaults = {
      RETENTION_VISITOR_HASH_DAYS: 32,
      RETENTION_UNCONVERTED_CLICK_DAYS: 396,
      RETENTION_INBOUND_WEBHOOK_DAYS: 30,
      RETENTION_RATE_LIMIT_WINDOW_HOURS: 24,
      RETENTION_DEMO_USER_DAYS: 30,
      RETENTION_PURGE_INTERVAL_SECONDS: 600,
      RETENTION_PURGE_BATCH_SIZE: 1000,
    };
    expect(parseEnvironment({})).toMatchObject(defaults);
    const empty = Object.fromEntries(Object.keys(defaults).map((name) => [name, " "]));
    expect(parseEnvironment(empty)).toMatchObject(defaults);
  });

  it.each([
    // Within the 30-day cookie a visitor's click could still be needed.
    ["RETENTION_VISITOR_HASH_DAYS", "30"],
    ["RETENTION_UNCONVERTED_CLICK_DAYS", "7"],
    // Shorter than the senders retry: a replay would be applied twice.
    ["RETENTION_INBOUND_WEBHOOK_DAYS", "2"],
    ["RETENTION_RATE_LIMIT_WINDOW_HOURS", "0"],
    ["RETENTION_PURGE_BATCH_SIZE", "100000"],
    ["RETENTION_PURGE_INTERVAL_SECONDS", "0"],
    ["RETENTION_DEMO_USER_DAYS", "forever"],
  ])("refuses %s=%j at start-up", (name, value) => {
    expect(() => parseEnvironment({ [name]: value })).toThrow(new RegExp(`${name}: `));
  });
});
