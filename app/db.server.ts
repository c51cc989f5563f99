// The one PostgreSQL connection pool of the process, shared by Prisma (through adapter-pg)
// and by the few hot-path statements written in SQL (app/models/referral.server.ts).
// Only app/models/*.server.ts import this module.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import pg from "pg";

import { getEnv } from "~/env.server";
import { logger } from "~/lib/infra/logger.server";

interface Database {
  pool: pg.Pool;
  prisma: PrismaClient;
}

declare global {
  // Kept on globalThis so that `remix dev` rebuilds reuse the pool instead of leaking one per reload.
  var __storeReferralsDatabase: Database | undefined;
}

function connect(): Database {
  const env = getEnv();
  const connectionString = env.DATABASE_URL;
  if (!connectionString) {
    throw new Error(
      "DATABASE_URL is not set: start the app with `npm run demo` / `npm start` (which start the embedded database) or set DATABASE_URL.",
    );
  }
  const pool = new pg.Pool({
    connectionString,
    // The embedded PGlite server sets DATABASE_POOL_MAX=1: it serves one connection safely.
    max: env.DATABASE_POOL_MAX,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    allowExitOnIdle: true,
  });
  // Without this listener a connection dropped by PostgreSQL crashes the whole process.
  pool.on("error", (error) => logger.error("database.pool_error", { error }));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return { pool, prisma };
}

function database(): Database {
  globalThis.__storeReferralsDatabase ??= connect();
  return globalThis.__storeReferralsDatabase;
}

export const db = {
  get prisma() {
    return database().prisma;
  },
  get pool() {
    return database().pool;
  },
};

/** Closes the pool (Prisma first); the next use opens a new one. */
export async function closeDatabase() {
  const current = globalThis.__storeReferralsDatabase;
  globalThis.__storeReferralsDatabase = undefined;
  if (!current) return;
  await current.prisma.$disconnect().catch(() => undefined);
  await current.pool.end().catch(() => undefined);
}
