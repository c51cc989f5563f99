// What the code under test writes to the console, captured per test (see setup.ts): a green run
// prints nothing but vitest's own report. console.error lines fail the test unless it takes
// them (takeLoggedErrors); the other levels (log, info, warn, debug: the app's logger.warn and
// logger.info, Shopify's library's "[shopify-app/INFO]" lines, expected fault warnings such as
// "Admin API answered 500" or ECONNREFUSED) are kept and shown only when the test fails, or
// as they happen with TEST_LOGS=1.

/** console.error lines captured during the current test. */
export const consoleErrors: string[] = [];

export type CapturedLevel = "log" | "info" | "warn" | "debug";

/** console.log/info/warn/debug calls of the current test, in order. */
export const capturedLogs: Array<{ level: CapturedLevel; args: unknown[] }> = [];

function parse(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { message: line };
  }
}

/**
 * Takes the structured log entries written with console.error so far in this test, so a test
 * that expects an error to be logged can assert on it (and the test does not fail for it).
 */
export function takeLoggedErrors(): Array<Record<string, unknown>> {
  return consoleErrors.splice(0).map(parse);
}

/** The structured warnings (logger.warn) written so far in this test, to assert on. */
export function loggedWarnings(): Array<Record<string, unknown>> {
  return capturedLogs
    .filter((entry) => entry.level === "warn")
    .map((entry) => parse(entry.args.map(String).join(" ")));
}
