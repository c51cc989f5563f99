// Builders for fault tests: a database URL the app is pointed at, a port nothing listens on.
import { createServer } from "node:http";

import { closeDatabase } from "~/db.server";
import { resetEnvForTests } from "~/env.server";
import { closeClickQueue } from "~/models/referral-clicks.server";

/** Points the app's pool at another database URL (a fresh pool and click queue). */
export async function useDatabase(url: string | undefined) {
  await closeClickQueue();
  await closeDatabase();
  process.env.DATABASE_URL = url;
  resetEnvForTests();
}

/** A TCP port with nothing listening on it. */
export async function closedPort() {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
