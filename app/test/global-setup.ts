// Gives the whole test run a fresh, migrated PostgreSQL database:
// - TEST_DATABASE_URL set (CI): a new database on that server, dropped at the end;
// - otherwise: an in-memory PGlite served on loopback.
import { startEmbeddedDatabase } from "~/server/embedded-database";
import { applyMigrations } from "~/server/migrations";
import { createTestDatabase } from "~/test/database";

export default async function setup() {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const database = await createTestDatabase({ serverUrl, prefix: "store_referrals_test" });
    process.env.DATABASE_URL = database.url;
    return () => database.drop();
  }
  const embedded = await startEmbeddedDatabase({ dataDir: null });
  process.env.DATABASE_URL = embedded.url;
  process.env.DATABASE_POOL_MAX = "1";
  await applyMigrations({ databaseUrl: embedded.url });
  return async () => {
    await embedded.stop();
  };
}
