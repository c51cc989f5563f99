// Benchmark harness only: the referral model with recordReferralClick answered in memory (a
// new click id, as if committed), so that the fast path can be measured without PostgreSQL.
// bench/lib/harness.mjs substitutes this module for app/models/referral-clicks.server.ts in one bundle.
import { randomUUID } from "node:crypto";

import type { ReferralClickInput, ReferralClickResult } from "~/models/referral-clicks.server";

export * from "~/models/referral-clicks.server";

export async function recordReferralClick(
  input: ReferralClickInput,
  options: { deadline?: number } = {},
): Promise<ReferralClickResult> {
  void input;
  void options;
  return { recorded: true, clickId: randomUUID(), storeId: 1, counted: true };
}
