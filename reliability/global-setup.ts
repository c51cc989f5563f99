// The reliability suite needs a real PostgreSQL server (two app processes share it, connections are
// terminated, tables locked): a fresh database on TEST_DATABASE_URL (default: the local server),
// migrated, dropped at the end. The app is built first if build/ is stale: scenarios run the real
// server, build/server.js.
import { createTestDatabase } from "~/test/database";

import { ensureBuild } from "../scripts/ensure-build.mjs";
import { assertServerReachable, LOCAL_SERVER_URL } from "../scripts/postgres.mjs";

export default async function setup() {
  const serverUrl = process.env.TEST_DATABASE_URL ?? LOCAL_SERVER_URL;
  await assertServerReachable(serverUrl);
  await ensureBuild({ log: (message: string) => console.info(`[reliability] ${message}`) });
  const database = await createTestDatabase({ serverUrl, prefix: "store_referrals_reliability" });
  process.env.DATABASE_URL = database.url;
  process.env.DATABASE_POOL_MAX = "10";
  return () => database.drop();
}
