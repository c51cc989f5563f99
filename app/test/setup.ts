// Runs before every test file: a test environment, a database connection that is closed after
// the file, no unexpected console.error (a test that logs an error it did not expect fails), and
// the other console output kept per test, printed only if the test fails (see test/logs.ts).
import { afterAll, afterEach, beforeAll, beforeEach, vi } from "vitest";

import { closeDatabase, db } from "~/db.server";
import { resetEnvForTests } from "~/env.server";
import { closeClickQueue } from "~/models/referral-clicks.server";
import { capturedLogs, consoleErrors, type CapturedLevel } from "~/test/logs";

// Installed before the test file imports anything, so libraries that log (Shopify's, Clerk's
// notice at import) write here too. Output outside a test (imports, hooks) is dropped with the
// next test's start unless TEST_LOGS=1.
const showLogs = process.env.TEST_LOGS === "1";
/* eslint-disable no-console -- this is where the console's methods are replaced, to capture them */
const original = {
  log: console.log.bind(console),
  info: console.info.bind(console),
  warn: console.warn.bind(console),
  debug: console.debug.bind(console),
} satisfies Record<CapturedLevel, (...args: unknown[]) => void>;
for (const level of Object.keys(original) as CapturedLevel[]) {
  console[level] = (...args: unknown[]) => {
    if (showLogs) original[level](...args);
    else capturedLogs.push({ level, args });
  };
}
/* eslint-enable no-console */

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

beforeEach(({ onTestFailed }) => {
  capturedLogs.length = 0;
  onTestFailed(() => {
    if (capturedLogs.length === 0) return;
    original.warn(`--- console output of the failed test (${capturedLogs.length} lines) ---`);
    for (const { level, args } of capturedLogs.splice(0)) original[level](...args);
  });
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
