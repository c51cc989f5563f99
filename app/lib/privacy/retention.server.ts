// The retention purge (docs/privacy.md): every app instance runs it every
// RETENTION_PURGE_INTERVAL_SECONDS (with jitter, so instances started together spread out),
// batch after batch of at most RETENTION_PURGE_BATCH_SIZE rows per statement
// (app/models/privacy-retention.server.ts, SKIP LOCKED: instances share the work, never wait on
// each other, nor on a click or a sign-up). Each pass logs one line with what it removed and
// counts it in /metrics. A failing pass is logged and retried at the next interval: the purge
// never stops the process.
import { getEnv, type Environment } from "~/env.server";
import { logger } from "~/lib/infra/logger.server";
import { defineCounter } from "~/lib/infra/metrics.server";
import {
  purgeRetentionBatch,
  RETENTION_TASKS,
  type RetentionTask,
} from "~/models/privacy-retention.server";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** A pause between two batches: the click path's statements get the database in between. */
const PAUSE_BETWEEN_BATCHES_MS = 10;

const purgedRows = defineCounter(
  "privacy_retention_rows_total",
  "Rows removed or cleared by the retention purge, by task.",
);
const passes = defineCounter(
  "privacy_retention_passes_total",
  "Retention purge passes of this process, by outcome (completed, failed).",
);

/** The moment before which each task's rows are past their retention period. */
export function retentionCutoffs(env: Environment, now: Date): Record<RetentionTask, Date> {
  const before = (ms: number) => new Date(now.getTime() - ms);
  return {
    visitor_hashes: before(env.RETENTION_VISITOR_HASH_DAYS * DAY_MS),
    unconverted_clicks: before(env.RETENTION_UNCONVERTED_CLICK_DAYS * DAY_MS),
    demo_users: before(env.RETENTION_DEMO_USER_DAYS * DAY_MS),
    inbound_webhook_deliveries: before(env.RETENTION_INBOUND_WEBHOOK_DAYS * DAY_MS),
    rate_limit_windows: before(env.RETENTION_RATE_LIMIT_WINDOW_HOURS * HOUR_MS),
    webhook_events: before(env.WEBHOOK_LOG_RETENTION_DAYS * DAY_MS),
  };
}

export type RetentionPassResult = Record<RetentionTask, number>;

/**
 * One pass: every task, batch after batch until a batch comes back short (or `shouldStop`).
 * `now` fixes the cutoffs for the whole pass.
 */
export async function runRetentionPass({
  now = new Date(),
  batchSize = getEnv().RETENTION_PURGE_BATCH_SIZE,
  shouldStop = () => false,
}: { now?: Date; batchSize?: number; shouldStop?: () => boolean } = {}) {
  const started = Date.now();
  const cutoffs = retentionCutoffs(getEnv(), now);
  const removed = Object.fromEntries(
    RETENTION_TASKS.map((task) => [task, 0]),
  ) as RetentionPassResult;
  let batches = 0;
  for (const task of RETENTION_TASKS) {
    while (!shouldStop()) {
      const rows = await purgeRetentionBatch({ task, olderThan: cutoffs[task], limit: batchSize });
      batches++;
      removed[task] += rows;
      purgedRows.increment({ task }, rows);
      if (rows < batchSize) break;
      await new Promise((resolve) => setTimeout(resolve, PAUSE_BETWEEN_BATCHES_MS));
    }
  }
  const total = Object.values(removed).reduce((sum, rows) => sum + rows, 0);
  if (total > 0) {
    logger.info("privacy.retention_pass", {
      removed,
      batches,
      durationMs: Date.now() - started,
    });
  }
  return removed;
}

declare global {
  var __storeReferralsRetention: { stop(): Promise<void> } | undefined;
}

/**
 * Starts the periodic purge of this process (once, whatever reloads the app's modules).
 * The first pass runs after a random part of the interval.
 */
export function startRetentionJobs({
  intervalMs = getEnv().RETENTION_PURGE_INTERVAL_SECONDS * 1000,
  clock = () => new Date(),
}: { intervalMs?: number; clock?: () => Date } = {}) {
  if (globalThis.__storeReferralsRetention) return globalThis.__storeReferralsRetention;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const schedule = (delayMs: number) => {
    timer = setTimeout(() => {
      running = runRetentionPass({ now: clock(), shouldStop: () => stopped }).then(
        () => passes.increment({ outcome: "completed" }),
        (error: unknown) => {
          passes.increment({ outcome: "failed" });
          logger.warn("privacy.retention_pass_failed", { error });
        },
      );
      void running.finally(() => {
        if (!stopped) schedule(intervalMs * (0.9 + Math.random() * 0.2));
      });
    }, delayMs);
    timer.unref();
  };
  schedule(intervalMs * Math.random());
  const job = {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      if (globalThis.__storeReferralsRetention === job) {
        globalThis.__storeReferralsRetention = undefined;
      }
    },
  };
  globalThis.__storeReferralsRetention = job;
  return job;
}

/** Stops the periodic purge, waiting for a batch in flight (graceful shutdown). */
export async function stopRetentionJobs() {
  await globalThis.__storeReferralsRetention?.stop();
}
