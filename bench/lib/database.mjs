// The benchmark's database: a fresh one per run (scripts/postgres.mjs), and the check that every
// acknowledged click is in it.
import pg from "pg";

import {
  assertServerReachable as assertReachable,
  createMigratedDatabase as createDatabase,
  LOCAL_SERVER_URL,
} from "../../scripts/postgres.mjs";

/** The server to use: BENCH_DATABASE_URL, TEST_DATABASE_URL or the local default. */
export function serverUrl() {
  return process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? LOCAL_SERVER_URL;
}

export function assertServerReachable() {
  return assertReachable(serverUrl());
}

export function createMigratedDatabase(prefix) {
  return createDatabase(serverUrl(), prefix);
}

/** How many of the click ids have a StoreReferral row (ids are checked in chunks). */
export async function countCommittedClicks(databaseUrl, clickIds) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    let found = 0;
    const unique = [...new Set(clickIds)];
    for (let start = 0; start < unique.length; start += 20_000) {
      const { rows } = await client.query(
        `SELECT count(*)::int AS "found" FROM "StoreReferral" WHERE "id" = ANY($1::uuid[])`,
        [unique.slice(start, start + 20_000)],
      );
      found += rows[0].found;
    }
    return { acknowledged: unique.length, found };
  } finally {
    await client.end();
  }
}
