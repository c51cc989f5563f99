// The delivery worker that runs in every app instance (docs/decisions/0020-outbound-webhooks.md).
// It polls the outbox: claims due deliveries (FOR UPDATE SKIP LOCKED, a lease instead of a held
// lock, so instances share the work and PgBouncer's transaction mode is fine), sends each one
// signed, and records the outcome. In memory only the attempts in flight (at most
// WEBHOOK_MAX_IN_FLIGHT, WEBHOOK_ENDPOINT_CONCURRENCY per endpoint); the queue is the table.
// It also turns the new clicks of stores with a referral.clicked endpoint into events, by cursor,
// so the click path itself does no webhook work.
import { getEnv, type Environment } from "~/env.server";
import { logger } from "~/lib/infra/logger.server";
import { defineCounter } from "~/lib/infra/metrics.server";
import { timeOrderedUuidFloor } from "~/lib/infra/uuid.server";
import { addressPolicyOf, type AddressPolicy } from "~/lib/webhooks/outbound/address-policy.server";
import { postWebhook, type AttemptResult } from "~/lib/webhooks/outbound/deliver.server";
import { buildWebhookPayload } from "~/lib/webhooks/outbound/payload.server";
import { signWebhook, webhookMessageId } from "~/lib/webhooks/outbound/sign.server";
import {
  claimDueDeliveries,
  enqueueClickFeed,
  recordDeliveryAttempt,
  type AttemptOutcome,
  type ClaimedDelivery,
} from "~/models/webhook-delivery.server";
import { listClickFeedEndpoints } from "~/models/webhook-endpoint.server";

const attempts = defineCounter(
  "webhook_delivery_attempts_total",
  "Outbound webhook attempts of this process, by outcome (delivered, failed, gone).",
);

export interface WorkerSettings {
  pollIntervalMs: number;
  timeoutMs: number;
  retryBaseMs: number;
  retryMaxDelayMs: number;
  retryWindowMs: number;
  maxConsecutiveFailures: number;
  perEndpoint: number;
  maxInFlight: number;
  trustedOrigins: readonly string[];
  policy: AddressPolicy;
  /** How often the click feeds are read, and how far behind now they stay. */
  clickFeedIntervalMs: number;
  clickFeedLagMs: number;
}

export function workerSettingsOf(env: Environment): WorkerSettings {
  return {
    pollIntervalMs: env.WEBHOOK_POLL_INTERVAL_MS,
    timeoutMs: env.WEBHOOK_ATTEMPT_TIMEOUT_MS,
    retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
    retryMaxDelayMs: env.WEBHOOK_RETRY_MAX_DELAY_MS,
    retryWindowMs: env.WEBHOOK_RETRY_WINDOW_SECONDS * 1000,
    maxConsecutiveFailures: env.WEBHOOK_MAX_CONSECUTIVE_FAILURES,
    perEndpoint: env.WEBHOOK_ENDPOINT_CONCURRENCY,
    maxInFlight: env.WEBHOOK_MAX_IN_FLIGHT,
    trustedOrigins: env.WEBHOOK_TRUSTED_ORIGINS,
    policy: addressPolicyOf(env),
    clickFeedIntervalMs: 1_000,
    // A click's id is minted before its grouped commit (at most CLICK_RECORD_TIMEOUT_MS for the
    // shopper, a little more for a slow batch) and by another instance's clock.
    clickFeedLagMs: 5_000,
  };
}

/**
 * How long a claimed attempt is this instance's: past it, the attempt is due again (the
 * instance died mid-attempt). The attempt's timeout plus time to build and record it.
 */
function leaseOf(settings: Pick<WorkerSettings, "timeoutMs">) {
  return settings.timeoutMs + 10_000;
}

/** Exponential backoff with jitter: the nth retry waits between half and all of base·2^(n-1). */
export function retryDelayMs(
  attempt: number,
  { retryBaseMs, retryMaxDelayMs }: Pick<WorkerSettings, "retryBaseMs" | "retryMaxDelayMs">,
  random = Math.random,
): number {
  const ceiling = Math.min(retryMaxDelayMs, retryBaseMs * 2 ** Math.min(attempt - 1, 40));
  return ceiling / 2 + (random() * ceiling) / 2;
}

/** What an attempt's result means for the delivery. */
export function outcomeOf(
  result: AttemptResult,
  delivery: Pick<ClaimedDelivery, "attempt" | "createdAt">,
  settings: WorkerSettings,
  now = Date.now(),
): AttemptOutcome {
  const { statusCode } = result;
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) return { kind: "delivered" };
  if (statusCode === 410) return { kind: "gone" };
  // Retried for the whole window after the delivery was queued, then given up.
  if (now - delivery.createdAt.getTime() >= settings.retryWindowMs) {
    return { kind: "failed", nextAttemptAt: null };
  }
  return {
    kind: "failed",
    nextAttemptAt: new Date(now + retryDelayMs(delivery.attempt, settings)),
  };
}

/** Sends one claimed delivery and records its outcome. */
export async function attemptDelivery(
  delivery: ClaimedDelivery,
  settings: WorkerSettings,
): Promise<AttemptOutcome> {
  const payload = buildWebhookPayload(delivery, settings);
  let result: AttemptResult;
  if (!payload) {
    result = { statusCode: null, latencyMs: 0, error: "its referral no longer exists" };
  } else {
    const body = JSON.stringify(payload);
    const secrets = [delivery.secret, delivery.previousSecret].filter((secret): secret is string =>
      Boolean(secret),
    );
    const headers = signWebhook({
      messageId: webhookMessageId(delivery.eventId),
      timestamp: new Date(),
      body,
      secrets,
    });
    result = await postWebhook({
      url: delivery.url,
      body,
      headers,
      timeoutMs: settings.timeoutMs,
      policy: settings.policy,
    });
  }
  const outcome: AttemptOutcome = payload
    ? outcomeOf(result, delivery, settings)
    : { kind: "failed", nextAttemptAt: null };
  attempts.increment({ outcome: outcome.kind });
  await recordDeliveryAttempt({
    deliveryId: delivery.id,
    attempt: delivery.attempt,
    outcome,
    statusCode: result.statusCode,
    latencyMs: result.latencyMs,
    error: result.error,
    maxConsecutiveFailures: settings.maxConsecutiveFailures,
  });
  return outcome;
}

/**
 * Turns the new clicks of every referral.clicked endpoint into events, in batches of `limit`
 * (up to 10 per endpoint and pass: 10,000 clicks a second per endpoint at the default pace).
 */
export async function runClickFeeds(
  { clickFeedLagMs }: Pick<WorkerSettings, "clickFeedLagMs">,
  { now = Date.now(), limit = 1_000 } = {},
): Promise<number> {
  const before = timeOrderedUuidFloor(now - clickFeedLagMs);
  let total = 0;
  for (const endpoint of await listClickFeedEndpoints()) {
    // Batch after batch while they come back full (a busy store), at most 10 per pass.
    for (let batch = 0; batch < 10; batch++) {
      const enqueued = await enqueueClickFeed({ endpointId: endpoint.id, before, limit });
      total += enqueued;
      if (enqueued < limit) break;
    }
  }
  return total;
}

/**
 * One round without the loop: claims what is due now (up to `maxInFlight`) and awaits every
 * attempt. The operator's and the tests' way to drain the outbox step by step.
 */
export async function runDueDeliveries(settings: WorkerSettings): Promise<AttemptOutcome[]> {
  const claimed = await claimDueDeliveries({
    limit: settings.maxInFlight,
    perEndpoint: settings.perEndpoint,
    inFlight: new Map(),
    leaseMs: leaseOf(settings),
  });
  return Promise.all(claimed.map((delivery) => attemptDelivery(delivery, settings)));
}

/** After an attempt ends, the next poll waits this long, so that attempts ending together share it. */
const SLOT_FREED_POLL_DELAY_MS = 5;

export interface WebhookWorker {
  /** Look for due deliveries now (e.g. after this instance wrote an event). */
  wake(): void;
  /** Stops claiming and waits for the attempts in flight (each bounded by the timeout). */
  stop(): Promise<void>;
}

/** Starts a worker with its own loop; several may run against one database. */
export function createWebhookWorker(settings: WorkerSettings): WebhookWorker {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;
  let lastClickFeed = 0;
  const inFlight = new Map<string, number>();
  const running = new Set<Promise<unknown>>();
  let total = 0;

  const leaseMs = leaseOf(settings);

  const launch = (delivery: ClaimedDelivery) => {
    total++;
    inFlight.set(delivery.endpointId, (inFlight.get(delivery.endpointId) ?? 0) + 1);
    const attempt = attemptDelivery(delivery, settings)
      .catch((error: unknown) => {
        // The database failed while recording: the lease runs out and the attempt is redone.
        logger.warn("webhooks.attempt_not_recorded", { deliveryId: delivery.id, error });
      })
      .finally(() => {
        total--;
        const left = (inFlight.get(delivery.endpointId) ?? 1) - 1;
        if (left > 0) inFlight.set(delivery.endpointId, left);
        else inFlight.delete(delivery.endpointId);
        running.delete(attempt);
        // A free slot: look again soon (completions close together share one poll).
        if (!stopped) schedule(SLOT_FREED_POLL_DELAY_MS);
      });
    running.add(attempt);
  };

  const poll = async () => {
    if (Date.now() - lastClickFeed >= settings.clickFeedIntervalMs) {
      lastClickFeed = Date.now();
      await runClickFeeds(settings);
    }
    const free = settings.maxInFlight - total;
    if (free <= 0) return false;
    const claimed = await claimDueDeliveries({
      limit: free,
      perEndpoint: settings.perEndpoint,
      inFlight,
      leaseMs,
    });
    for (const delivery of claimed) launch(delivery);
    return claimed.length === free;
  };

  // A slot freed (or a wake-up) while a poll runs: poll again as soon as it ends.
  let again = false;
  let timerDueAt = Infinity;

  /** Polls after `delayMs`, or sooner if a poll is already due sooner (wake-ups coalesce). */
  function schedule(delayMs: number) {
    if (stopped) return;
    if (polling) {
      if (delayMs < settings.pollIntervalMs) again = true;
      return;
    }
    if (timerDueAt <= Date.now() + delayMs) return;
    clearTimeout(timer);
    timerDueAt = Date.now() + delayMs;
    timer = setTimeout(() => {
      timerDueAt = Infinity;
      again = false;
      polling = poll()
        .then(
          (full) => full,
          (error: unknown) => {
            logger.warn("webhooks.poll_failed", { error });
            return false;
          },
        )
        .then((full) => {
          polling = undefined;
          if (!stopped) schedule(full || again ? 0 : settings.pollIntervalMs);
        });
    }, delayMs);
    timer.unref();
  }

  schedule(Math.random() * settings.pollIntervalMs);
  return {
    wake: () => schedule(0),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await polling;
      await Promise.allSettled([...running]);
    },
  };
}

declare global {
  var __storeReferralsWebhookWorker: WebhookWorker | undefined;
}

/** The worker of this process (once, whatever reloads the app's modules). */
export function startWebhookWorker(): void {
  const env = getEnv();
  if (!env.WEBHOOK_WORKER_ENABLED || globalThis.__storeReferralsWebhookWorker) return;
  globalThis.__storeReferralsWebhookWorker = createWebhookWorker(workerSettingsOf(env));
}

export async function stopWebhookWorker(): Promise<void> {
  const worker = globalThis.__storeReferralsWebhookWorker;
  globalThis.__storeReferralsWebhookWorker = undefined;
  await worker?.stop();
}
