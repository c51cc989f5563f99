// A referred user's erasure (Clerk's user.deleted, or `npm run privacy -- erase-user`): every
// row that holds the Clerk id loses it, in one statement (app/models/personal-data.server.ts).
// The log line and the metric say what was erased, never whose: a log that kept the id would
// be one more copy of it.
import { logger } from "~/lib/infra/logger.server";
import { defineCounter } from "~/lib/infra/metrics.server";
import { eraseUserData, type UserErasureCounts } from "~/models/personal-data.server";
import type { DatabaseClient } from "~/models/store.server";

export type ErasureTrigger = "clerk_webhook" | "operator";

const erasures = defineCounter(
  "privacy_user_erasures_total",
  "User erasures applied, by trigger (clerk_webhook, operator) and whether anything was found.",
);

export interface UserErasure extends UserErasureCounts {
  /** False when nothing was stored about the user (never attributed, or erased before). */
  found: boolean;
}

/**
 * Erases a user (safe to repeat). Inside a transaction (`client`), call `reportErasure` once it
 * has committed; without one, the erasure is committed when this returns and reported.
 */
export async function eraseUser(
  { userId, trigger }: { userId: string; trigger: ErasureTrigger },
  client?: DatabaseClient,
): Promise<UserErasure> {
  const counts = await eraseUserData({ userId }, client);
  const found =
    counts.referralsAnonymised + counts.referralSourcesDeleted + counts.storeOwnersUnlinked > 0;
  const erasure = { found, ...counts };
  if (!client) reportErasure(trigger, erasure);
  return erasure;
}

/** The log line and metric of a committed erasure (what, never whose). */
export function reportErasure(trigger: ErasureTrigger, erasure: UserErasure) {
  erasures.increment({ trigger, found: String(erasure.found) });
  logger.info("privacy.user_erased", { trigger, ...erasure });
}
