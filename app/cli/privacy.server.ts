// The privacy command of Syntropy Health's staff (docs/privacy.md): export everything stored
// about one referred user (JSON on stdout), or erase it, exactly as Clerk's user.deleted does.
// Run as `npm run privacy -- <command>` (scripts/privacy.mjs).
// Exit codes: 0 done (also an export or erasure that finds nothing: that is its answer),
// 1 failed (database, environment), 2 usage error (unknown command, not a Clerk user id).
import { parseArgs } from "node:util";

import {
  usageErrorExit,
  runCommandMain,
  UsageError,
  type CommandOutput,
} from "~/cli/command.server";
import { eraseUser } from "~/lib/privacy/erasure.server";
import { exportUser } from "~/lib/privacy/export.server";
import { minimiseStoredUrls } from "~/lib/privacy/source-url-cleanup.server";
import { clerkUserDeletedSchema } from "~/schemas/clerk-webhook";

export const USAGE = `Usage: npm run privacy -- <command> [<clerk user id>]

Commands:
  export-user <user id>   print everything stored about the user, as JSON
  erase-user <user id>    erase the user everywhere (as Clerk's user.deleted does), safe to repeat
  minimise-stored-urls    clean stored source URLs and UTM values the migration left (run once
                          after a rolling deploy of the release that added it), in small batches

<user id> is the Clerk user id (user_…). Needs DATABASE_URL.
Exit codes: 0 done (nothing found is an answer too), 1 failed, 2 usage error.`;

function parseUserId(value: string | undefined) {
  if (!value) throw new UsageError("Name the user (a Clerk user id, user_…).");
  const parsed = clerkUserDeletedSchema.shape.id.safeParse(value);
  if (!parsed.success) throw new UsageError(`"${value}" is not a Clerk user id (user_…).`);
  return parsed.data;
}

/** Runs one command; returns the process exit code. Never throws for expected failures. */
export async function runPrivacyCommand(argv: string[], io: CommandOutput): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { help: { type: "boolean" } },
    });
    const [command, userArgument, ...extra] = positionals;
    if (values.help || !command) {
      io.out(USAGE);
      return values.help ? 0 : 2;
    }
    if (extra.length > 0) throw new UsageError(`Unexpected argument: ${extra.join(" ")}`);
    switch (command) {
      case "export-user": {
        const userId = parseUserId(userArgument);
        io.out(JSON.stringify(await exportUser({ userId }), null, 2));
        return 0;
      }
      case "erase-user": {
        const userId = parseUserId(userArgument);
        const erasure = await eraseUser({ userId, trigger: "operator" });
        io.out(
          erasure.found
            ? `Erased ${userId}: ${erasure.referralsAnonymised} referral made anonymous, ` +
                `${erasure.referralSourcesDeleted} referral source deleted, ` +
                `${erasure.storeOwnersUnlinked} store owner link removed.`
            : `Nothing stored about ${userId} (never attributed, or erased before): nothing to erase.`,
        );
        return 0;
      }
      case "minimise-stored-urls": {
        if (userArgument) throw new UsageError("minimise-stored-urls takes no argument.");
        const cleaned = await minimiseStoredUrls();
        io.out(`Cleaned ${cleaned} stored source URLs.`);
        return 0;
      }
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    const usageExit = usageErrorExit(error, io, USAGE);
    if (usageExit !== null) return usageExit;
    throw error;
  }
}

/** The process entry (bundled and run by scripts/privacy.mjs). */
export function main(argv: string[]): Promise<number> {
  return runCommandMain(argv, runPrivacyCommand);
}
