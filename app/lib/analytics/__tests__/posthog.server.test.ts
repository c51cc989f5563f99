import { afterEach, describe, expect, it } from "vitest";

import { resetEnvForTests } from "~/env.server";
import { AnalyticsEvent } from "~/lib/analytics/events.server";
import { captureEvent, shutdownAnalytics } from "~/lib/analytics/posthog.server";
import { startFakePostHog } from "~/test/fakes/posthog";
import { startFakeHttpServer } from "~/test/fakes/http";
import { takeLoggedErrors } from "~/test/logs";

function configurePostHog(host: string | undefined) {
  if (host) {
    process.env.POSTHOG_API_KEY = "phc_test_key";
    process.env.POSTHOG_HOST = host;
  } else {
    delete process.env.POSTHOG_API_KEY;
    delete process.env.POSTHOG_HOST;
  }
  resetEnvForTests();
}

afterEach(async () => {
  await shutdownAnalytics({ timeoutMs: 500 });
  configurePostHog(undefined);
});

describe("captureEvent", () => {
  it("delivers events to PostHog with the key, distinct id and properties on shutdown", async () => {
    // GIVEN PostHog (faked on loopback) is configured
    const posthog = await startFakePostHog();
    configurePostHog(posthog.url);
    // WHEN two events are captured and the process shuts down
    captureEvent({
      event: AnalyticsEvent.STORE_REFERRAL_SIGNUP,
      distinctId: "user_123",
      properties: { referral_code: "store-chen-well-a1b2", store_id: 7 },
    });
    captureEvent({ event: AnalyticsEvent.STORE_REGISTERED, distinctId: "chen.myshopify.com" });
    await shutdownAnalytics();
    // THEN both arrive, as sent
    expect(posthog.events.map((event) => [event.event, event.distinct_id])).toEqual([
      ["STORE_REFERRAL_SIGNUP", "user_123"],
      ["STORE_REGISTERED", "chen.myshopify.com"],
    ]);
    expect(posthog.events[0]).toMatchObject({
      api_key: "phc_test_key",
      properties: { referral_code: "store-chen-well-a1b2", store_id: 7 },
    });
    await posthog.close();
  });

  it("is a silent no-op without a key", async () => {
    configurePostHog(undefined);
    expect(() =>
      captureEvent({ event: AnalyticsEvent.STORE_REGISTERED, distinctId: "shop.myshopify.com" }),
    ).not.toThrow();
    await expect(shutdownAnalytics()).resolves.toBeUndefined();
  });

  it("never throws and shuts down within its bound when PostHog hangs", async () => {
    // GIVEN a PostHog that accepts connections and never answers
    const blackHole = await startFakeHttpServer(() => new Promise<void>(() => undefined));
    configurePostHog(blackHole.url);
    for (let index = 0; index < 100; index++) {
      captureEvent({ event: AnalyticsEvent.STORE_REFERRAL_LINK_CLICKED, distinctId: `v${index}` });
    }
    const started = Date.now();
    await shutdownAnalytics({ timeoutMs: 1_000 });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(blackHole.requests.length).toBeGreaterThan(0);
    // posthog-node reports the events it could not send.
    expect(takeLoggedErrors().map((entry) => String(entry.message))).toEqual([
      expect.stringContaining("Timeout while shutting down PostHog"),
    ]);
    await blackHole.close();
  });
});
