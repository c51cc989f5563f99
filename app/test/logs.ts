// console.error lines captured during the current test (see setup.ts).
export const consoleErrors: string[] = [];

/**
 * Takes the structured log entries written with console.error so far in this test, so a test
 * that expects an error to be logged can assert on it (and the test does not fail for it).
 */
export function takeLoggedErrors(): Array<Record<string, unknown>> {
  return consoleErrors.splice(0).map((line) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      return { message: line };
    }
  });
}
