// What the operator commands (npm run stores, npm run privacy) share: their output, their usage
// errors (exit code 2) and their process entry (exit code 1 for a failure, the pool closed).
import { closeDatabase } from "~/db.server";
import { EnvironmentError, getEnv } from "~/env.server";

export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

/** A command line that cannot be run as written: exit code 2, with the usage. */
export class UsageError extends Error {}

/** Usage errors, ours or node:util parseArgs' (unknown option, missing value). */
export function isUsageError(error: unknown): error is Error {
  return (
    error instanceof UsageError ||
    Boolean((error as { code?: string }).code?.startsWith?.("ERR_PARSE_ARGS"))
  );
}

/**
 * A usage error printed with the usage, as exit code 2; null for any other error (the caller
 * decides or rethrows).
 */
export function usageErrorExit(error: unknown, io: CommandOutput, usage: string): 2 | null {
  if (!isUsageError(error)) return null;
  io.err(error.message);
  io.err(usage);
  return 2;
}

/** The process entry of a command: needs DATABASE_URL, prints failures, closes the pool. */
export async function runCommandMain(
  argv: string[],
  run: (argv: string[], io: CommandOutput) => Promise<number>,
): Promise<number> {
  const io: CommandOutput = {
    out: (line) => console.info(line),
    err: (line) => console.error(line),
  };
  try {
    if (!getEnv().DATABASE_URL) {
      io.err("DATABASE_URL is not set: point it at the app's PostgreSQL database.");
      return 1;
    }
    return await run(argv, io);
  } catch (error) {
    io.err(
      error instanceof EnvironmentError ? error.message : `Failed: ${(error as Error).message}`,
    );
    return 1;
  } finally {
    await closeDatabase();
  }
}
