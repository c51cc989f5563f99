// Fixed-window request counters in PostgreSQL (ApiRateLimitWindow), so that a limit holds across
// every app instance sharing the database: one atomic upsert per request, no per-process state
// (docs/decisions/0005-integration-api.md explains the fixed window).
import type pg from "pg";

import { db } from "~/db.server";

export const RATE_LIMIT_WINDOW_MS = 60_000;
/** Windows older than this many windows are deleted (they can no longer affect a decision). */
const WINDOWS_KEPT = 5;

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  /** Requests left in the current window after this one. */
  remaining: number;
  /** When the current window ends and the budget is whole again. */
  resetAt: Date;
  /** Whole seconds until resetAt (at least 1). */
  resetInSeconds: number;
}

const HIT_SQL = `
INSERT INTO "ApiRateLimitWindow" ("bucketKey", "windowStart", "hits")
VALUES ($1, $2, 1)
ON CONFLICT ("bucketKey", "windowStart") DO UPDATE SET "hits" = "ApiRateLimitWindow"."hits" + 1
RETURNING "hits"`;

const DELETE_OLD_WINDOWS_SQL = `DELETE FROM "ApiRateLimitWindow" WHERE "windowStart" < $1`;

type Queryable = Pick<pg.Pool, "query">;

declare global {
  // The last window this process cleaned up after; kept on globalThis for `remix dev` reloads.
  var __storeReferralsRateLimitCleanedWindow: number | undefined;
}

/**
 * Counts one request against `bucketKey` in the current window and says whether it is allowed.
 * `now` is the window clock (injectable, so tests need not wait a minute); `pool` is the
 * database connection of the app instance (the app's own pool unless a test plays another one).
 */
export async function hitRateLimit({
  bucketKey,
  limit,
  now = new Date(),
  pool = db.pool,
}: {
  bucketKey: string;
  limit: number;
  now?: Date;
  pool?: Queryable;
}): Promise<RateLimitDecision> {
  const windowStart = Math.floor(now.getTime() / RATE_LIMIT_WINDOW_MS) * RATE_LIMIT_WINDOW_MS;
  const { rows } = await pool.query<{ hits: number }>(HIT_SQL, [bucketKey, new Date(windowStart)]);
  const hits = rows[0]?.hits ?? Number.MAX_SAFE_INTEGER;
  await deleteOldWindows(pool, windowStart);
  const resetAt = new Date(windowStart + RATE_LIMIT_WINDOW_MS);
  return {
    allowed: hits <= limit,
    limit,
    remaining: Math.max(0, limit - hits),
    resetAt,
    resetInSeconds: Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000)),
  };
}

// Opportunistic and cheap: at most once per window per process, through the windowStart index.
async function deleteOldWindows(pool: Queryable, windowStart: number) {
  const cleaned = globalThis.__storeReferralsRateLimitCleanedWindow;
  if (cleaned !== undefined && cleaned >= windowStart) return;
  globalThis.__storeReferralsRateLimitCleanedWindow = windowStart;
  await pool.query(DELETE_OLD_WINDOWS_SQL, [
    new Date(windowStart - WINDOWS_KEPT * RATE_LIMIT_WINDOW_MS),
  ]);
}
