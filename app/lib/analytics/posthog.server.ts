// The one owner of PostHog (posthog-node): delivers the events of events.server.ts, which owns
// the taxonomy and is the app's only caller of captureEvent(). captureEvent() never throws and
// returns nothing to await: a request never waits for PostHog.
// Events are sent in batches in the background and flushed on shutdown (SIGTERM), with a bound.
import { PostHog } from "posthog-node";

import { getEnv } from "~/env.server";
import type { AnalyticsEventName } from "~/lib/analytics/events.server";
import { logger } from "~/lib/infra/logger.server";

export interface CaptureEventInput {
  event: AnalyticsEventName;
  /** The Clerk user id for signups, an anonymous visitor id for clicks, the shop domain for merchants. */
  distinctId: string;
  properties?: Record<string, string | number | boolean | null | undefined>;
}

declare global {
  var __storeReferralsPostHog: PostHog | null | undefined;
}

function client(): PostHog | null {
  if (globalThis.__storeReferralsPostHog !== undefined) return globalThis.__storeReferralsPostHog;
  const env = getEnv();
  globalThis.__storeReferralsPostHog = env.POSTHOG_API_KEY
    ? new PostHog(env.POSTHOG_API_KEY, {
        host: env.POSTHOG_HOST,
        flushAt: 50,
        flushInterval: 5_000,
        // A bounded buffer: when PostHog is unreachable the oldest events are dropped, memory is not.
        maxQueueSize: 10_000,
        requestTimeout: 5_000,
        fetchRetryCount: 2,
        disableGeoip: true,
      })
    : null;
  globalThis.__storeReferralsPostHog?.on("error", (error: unknown) =>
    logger.warn("analytics.delivery_failed", { error }),
  );
  return globalThis.__storeReferralsPostHog;
}

/** Queues an event for PostHog. A no-op without POSTHOG_API_KEY; never throws. */
export function captureEvent({ event, distinctId, properties = {} }: CaptureEventInput): void {
  try {
    const posthog = client();
    if (!posthog) return;
    posthog.capture({
      event,
      distinctId,
      properties: { ...properties, $process_person_profile: false },
    });
  } catch (error) {
    logger.warn("analytics.capture_failed", { event, error });
  }
}

/** Sends what is queued, waiting at most `timeoutMs`; then the client is discarded. */
export async function shutdownAnalytics({ timeoutMs = 4_000 } = {}): Promise<void> {
  const posthog = globalThis.__storeReferralsPostHog;
  globalThis.__storeReferralsPostHog = undefined;
  if (!posthog) return;
  try {
    await Promise.race([
      posthog.shutdown(timeoutMs),
      new Promise((resolve) => setTimeout(resolve, timeoutMs + 250).unref()),
    ]);
  } catch (error) {
    logger.warn("analytics.shutdown_failed", { error });
  }
}
