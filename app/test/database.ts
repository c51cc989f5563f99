// A fresh, migrated database on a PostgreSQL server (TEST_DATABASE_URL), for one test run.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

import pg from "pg";

import { applyMigrations } from "~/server/migrations";

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

async function onServer(serverUrl: string, sql: string) {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** Creates `<prefix>_<time>_<random>` on the server, applies the migrations, and can drop it. */
export async function createTestDatabase({
  serverUrl,
  prefix,
}: {
  serverUrl: string;
  prefix: string;
}): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now()}_${randomBytes(3).toString("hex")}`;
  await onServer(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await applyMigrations({ databaseUrl: url.toString() });
  return {
    url: url.toString(),
    drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/**
 * The statements of prisma/migrations/<name>/migration.sql, split as Prisma's driver adapter
 * splits them (on semicolons), comments removed: to run one migration's SQL in a test.
 */
export function migrationStatements(name: string): string[] {
  const file = path.resolve(__dirname, "../../prisma/migrations", name, "migration.sql");
  return readFileSync(file, "utf8")
    .split(";")
    .map((statement) => statement.replace(/^--.*$/gm, "").trim())
    .filter((statement) => statement.length > 0);
}
