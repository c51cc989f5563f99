// PostgreSQL for the benchmark and the reliability suite: is the server reachable (with a message
// saying what to do), and, for the benchmark (plain Node, no TypeScript), a throwaway database
// like app/test/database.ts makes for the tests: created and migrated for one run, dropped after.
import { randomBytes } from "node:crypto";

import pg from "pg";

import { runPrisma } from "./prisma.mjs";

export const LOCAL_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

function redact(url) {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, "//$1:***@");
}

/** Resolves with the server's version, or fails with a message saying what to do. */
export async function assertServerReachable(serverUrl) {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    const { rows } = await client.query("SHOW server_version");
    return rows[0].server_version;
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${redact(serverUrl)} (${error.message}).\n` +
        "Start it, or set TEST_DATABASE_URL (the benchmark also reads BENCH_DATABASE_URL) to a server where this user may CREATE DATABASE.",
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates a fresh database on the server and applies the migrations; returns its URL and a dropper. */
export async function createMigratedDatabase(serverUrl, prefix) {
  const name = `${prefix}_${Date.now()}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const drop = async () => {
    const cleanup = new pg.Client({ connectionString: serverUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await cleanup.end();
  };
  try {
    await runPrisma(["migrate", "deploy"], { env: { DATABASE_URL: databaseUrl }, stdio: "pipe" });
  } catch (error) {
    await drop();
    throw error;
  }
  return { name, databaseUrl, drop };
}
