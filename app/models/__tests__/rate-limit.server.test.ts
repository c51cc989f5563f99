import { randomBytes } from "node:crypto";

import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { hitRateLimit, RATE_LIMIT_WINDOW_MS } from "~/models/rate-limit.server";

const usesPostgresServer = Boolean(process.env.TEST_DATABASE_URL);

function uniqueBucket() {
  return `test:${randomBytes(6).toString("hex")}`;
}

/** A moment 30 s into the current window, so that a test never straddles two windows. */
function middleOfCurrentWindow() {
  const start = Math.floor(Date.now() / RATE_LIMIT_WINDOW_MS) * RATE_LIMIT_WINDOW_MS;
  return new Date(start + RATE_LIMIT_WINDOW_MS / 2);
}

const extraPools: pg.Pool[] = [];

/** Another app instance: its own pool of connections to the same database. */
function anotherInstance({ max = 1 } = {}) {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max });
  pool.on("error", () => undefined);
  extraPools.push(pool);
  return pool;
}

afterEach(async () => {
  await Promise.all(extraPools.splice(0).map((pool) => pool.end()));
});

describe("hitRateLimit", () => {
  it("allows `limit` requests in a window and refuses the next, counting down", async () => {
    // GIVEN a limit of 3 and a fixed clock
    const bucketKey = uniqueBucket();
    const now = middleOfCurrentWindow();
    // WHEN 4 requests arrive in the window
    const decisions = [];
    for (let index = 0; index < 4; index++) {
      decisions.push(await hitRateLimit({ bucketKey, limit: 3, now }));
    }
    // THEN 3 pass with 2, 1, 0 remaining and the 4th is refused until the window ends
    expect(decisions.map((decision) => [decision.allowed, decision.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    expect(decisions[3]).toMatchObject({ limit: 3, resetInSeconds: 30 });
    expect(decisions[3]!.resetAt.getTime() - now.getTime()).toBe(30_000);
  });

  it("starts a whole new budget in the next window", async () => {
    const bucketKey = uniqueBucket();
    const now = middleOfCurrentWindow();
    await hitRateLimit({ bucketKey, limit: 1, now });
    expect((await hitRateLimit({ bucketKey, limit: 1, now })).allowed).toBe(false);
    // WHEN the clock moves into the next window
    const next = new Date(now.getTime() + RATE_LIMIT_WINDOW_MS);
    // THEN the key may make requests again
    expect(await hitRateLimit({ bucketKey, limit: 1, now: next })).toMatchObject({
      allowed: true,
      remaining: 0,
    });
  });

  it("keeps budgets of different keys apart", async () => {
    const now = middleOfCurrentWindow();
    const exhausted = uniqueBucket();
    await hitRateLimit({ bucketKey: exhausted, limit: 1, now });
    await hitRateLimit({ bucketKey: exhausted, limit: 1, now });
    expect((await hitRateLimit({ bucketKey: uniqueBucket(), limit: 1, now })).allowed).toBe(true);
  });

  it("shares one budget between two app instances (separate pools, one database)", async () => {
    // GIVEN two instances, each with its own connection pool and no shared memory but the database
    const bucketKey = uniqueBucket();
    const now = middleOfCurrentWindow();
    const instances = [anotherInstance(), anotherInstance()];
    // WHEN requests alternate between them
    const allowed: boolean[] = [];
    for (let index = 0; index < 10; index++) {
      const pool = instances[index % 2]!;
      allowed.push((await hitRateLimit({ bucketKey, limit: 6, now, pool })).allowed);
    }
    // THEN the limit holds for the pair, not per instance
    expect(allowed.filter(Boolean)).toHaveLength(6);
    expect(allowed.slice(6)).toEqual([false, false, false, false]);
  });

  // PGlite serves one session: concurrent connections would interleave (docs/decisions/0002).
  it.skipIf(!usesPostgresServer)(
    "holds under concurrent requests from two instances (PostgreSQL server only)",
    async () => {
      const bucketKey = uniqueBucket();
      const now = middleOfCurrentWindow();
      const instances = [anotherInstance({ max: 5 }), anotherInstance({ max: 5 })];
      const decisions = await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          hitRateLimit({ bucketKey, limit: 15, now, pool: instances[index % 2]! }),
        ),
      );
      const passed = decisions.filter((decision) => decision.allowed);
      expect(passed).toHaveLength(15);
      // Every allowed request saw a different count: no two read the same value.
      expect(new Set(passed.map((decision) => decision.remaining)).size).toBe(15);
    },
  );

  it("deletes windows that can no longer matter", async () => {
    // GIVEN a window recorded ten minutes ago
    const bucketKey = uniqueBucket();
    const now = middleOfCurrentWindow();
    await hitRateLimit({ bucketKey, limit: 5, now: new Date(now.getTime() - 10 * 60_000) });
    // WHEN the first request of a later window arrives in this process
    globalThis.__storeReferralsRateLimitCleanedWindow = undefined;
    await hitRateLimit({ bucketKey, limit: 5, now });
    // THEN only the current window is left for the key
    const windows = await db.prisma.apiRateLimitWindow.findMany({ where: { bucketKey } });
    expect(windows.map((window) => window.windowStart.getTime())).toEqual([
      now.getTime() - RATE_LIMIT_WINDOW_MS / 2,
    ]);
  });
});
