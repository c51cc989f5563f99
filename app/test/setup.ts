// Runs before every test file: a test environment, a database connection that is closed after
// the file, and no unexpected console.error (a test that logs an error it did not expect fails).
import { afterAll, afterEach, beforeAll, beforeEach, vi } from "vitest";

import { closeDatabase, db } from "~/db.server";
import { resetEnvForTests } from "~/env.server";
import { closeClickQueue } from "~/models/referral-clicks.server";
import { consoleErrors } from "~/test/logs";

process.env.APP_SECRET ??= "test-app-secret-that-is-long-enough-0123456789";
process.env.SHOPIFY_APP_URL ??= "https://store-referrals.test";
process.env.ACTIVATION_API_SECRET ??= "test-activation-secret-0123456789";
// Tests assert that clicks are recorded: a busy machine must not turn them into timed-out drops
// (the fault tests set a short budget themselves).
process.env.CLICK_RECORD_TIMEOUT_MS ??= "5000";
resetEnvForTests();

beforeAll(async () => {
  // PGlite accepts one connection: the previous file's pool may still be closing.
  for (let attempt = 0; ; attempt++) {
    try {
      await db.pool.query("SELECT 1");
      return;
    } catch (error) {
      if (attempt >= 40) throw error;
      await closeDatabase();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
});

beforeEach(() => {
  consoleErrors.length = 0;
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    consoleErrors.push(args.map(String).join(" "));
  });
});

afterEach(() => {
  const unexpected = consoleErrors.splice(0);
  vi.restoreAllMocks();
  if (unexpected.length > 0) {
    throw new Error(`Unexpected console.error during the test:\n${unexpected.join("\n")}`);
  }
});

afterAll(async () => {
  await closeClickQueue();
  await closeDatabase();
});
