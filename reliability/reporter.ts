// The reliability suite's reporter: ONE line per scenario with its figures (set by the scenario
// in `task.meta.figures`), then the details of any failure.
import type { Reporter, TestCase, TestModule } from "vitest/node";

declare module "vitest" {
  interface TaskMeta {
    /** What the scenario measured, in one line (e.g. "12,040 shoppers, 100% redirected"). */
    figures?: string;
  }
}

export default class ReliabilityReporter implements Reporter {
  private readonly failures: TestCase[] = [];
  private passed = 0;
  private started = performance.now();

  onTestRunStart() {
    this.started = performance.now();
    process.stdout.write("Reliability scenarios (one line each)\n");
  }

  onTestCaseResult(testCase: TestCase) {
    const result = testCase.result();
    if (result.state === "skipped" || result.state === "pending") return;
    const seconds = ((testCase.diagnostic()?.duration ?? 0) / 1000).toFixed(1);
    const figures = testCase.meta().figures ?? "";
    const mark = result.state === "passed" ? "PASS" : "FAIL";
    if (result.state === "passed") this.passed++;
    else this.failures.push(testCase);
    process.stdout.write(
      `${mark}  ${testCase.name} (${seconds} s)${figures ? ` — ${figures}` : ""}\n`,
    );
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>) {
    for (const module of testModules) {
      for (const error of module.errors()) {
        process.stdout.write(
          `\nERROR in ${module.moduleId}: ${error.message}\n${error.stack ?? ""}\n`,
        );
      }
    }
    for (const testCase of this.failures) {
      process.stdout.write(`\n--- FAIL ${testCase.fullName}\n`);
      for (const error of testCase.result().errors ?? []) {
        process.stdout.write(`${error.message}\n${error.stack ?? ""}\n`);
        // fast-check puts the failing assertion in `cause`.
        const cause = (error as { cause?: { message?: string; stack?: string } }).cause;
        if (cause)
          process.stdout.write(`Caused by: ${cause.message ?? ""}\n${cause.stack ?? ""}\n`);
      }
    }
    for (const error of unhandledErrors)
      process.stdout.write(`\nUnhandled error: ${String(error)}\n`);
    const seconds = ((performance.now() - this.started) / 1000).toFixed(0);
    const failed = this.failures.length;
    process.stdout.write(
      `\n${this.passed} passed, ${failed} failed${unhandledErrors.length ? `, ${unhandledErrors.length} unhandled errors` : ""} in ${seconds} s\n`,
    );
  }
}
