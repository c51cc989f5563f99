// PostHog (faked on loopback) configured for a test file, and the events it received.
import { afterAll, beforeAll } from "vitest";

import { resetEnvForTests } from "~/env.server";
import { shutdownAnalytics } from "~/lib/analytics/posthog.server";
import { startFakePostHog, type CapturedEvent, type FakePostHog } from "~/test/fakes/posthog";

// Properties posthog-node adds by itself to every event.
const LIBRARY_PROPERTIES = new Set(["$lib", "$lib_version", "$geoip_disable", "$is_server"]);

export interface ReceivedEvent {
  event: string;
  distinctId: string;
  properties: Record<string, unknown>;
}

/** Starts a fake PostHog for the file; `received()` flushes (shutdownAnalytics) and reads. */
export function usePostHogFake() {
  let posthog: FakePostHog | undefined;
  beforeAll(async () => {
    posthog = await startFakePostHog();
    process.env.POSTHOG_API_KEY = "phc_test_key";
    process.env.POSTHOG_HOST = posthog.url;
    resetEnvForTests();
  });
  afterAll(async () => {
    await shutdownAnalytics({ timeoutMs: 1_000 });
    delete process.env.POSTHOG_API_KEY;
    delete process.env.POSTHOG_HOST;
    resetEnvForTests();
    await posthog?.close();
  });
  return {
    /** Events received so far matching `filter`, without posthog-node's own properties. */
    async received(filter: (event: ReceivedEvent) => boolean): Promise<ReceivedEvent[]> {
      await shutdownAnalytics({ timeoutMs: 2_000 });
      return (posthog?.events ?? []).map(toReceivedEvent).filter(filter);
    },
  };
}

function toReceivedEvent(event: CapturedEvent): ReceivedEvent {
  return {
    event: event.event,
    distinctId: event.distinct_id,
    properties: Object.fromEntries(
      Object.entries(event.properties).filter(([name]) => !LIBRARY_PROPERTIES.has(name)),
    ),
  };
}

/** Runs `run` with a fake PostHog configured for it alone (inside one test). */
export async function withPostHog<T>(run: (posthog: FakePostHog) => Promise<T>) {
  // Drop the analytics client of earlier tests (created without a key), then point it at the fake.
  await shutdownAnalytics();
  const posthog = await startFakePostHog();
  process.env.POSTHOG_API_KEY = "phc_test_key";
  process.env.POSTHOG_HOST = posthog.url;
  resetEnvForTests();
  try {
    return await run(posthog);
  } finally {
    await shutdownAnalytics({ timeoutMs: 2_000 });
    delete process.env.POSTHOG_API_KEY;
    delete process.env.POSTHOG_HOST;
    resetEnvForTests();
    await posthog.close();
  }
}
