// A burst, in one sentence: a sign-up is flagged when, with it, the store has more sign-ups in
// the last hour than both `minPerHour` and `factor` times its average hourly sign-ups over the
// `baselineDays` UTC days before today.
import type { FlagReason } from "~/lib/signup/checks/reasons";

export interface SignupBurstRule {
  minPerHour: number;
  factor: number;
  baselineDays: number;
}

export function signupBurstThreshold(baselineSignups: number, rule: SignupBurstRule): number {
  const averagePerHour = baselineSignups / (rule.baselineDays * 24);
  return Math.max(rule.minPerHour, rule.factor * averagePerHour);
}

/**
 * `lastHourSignups`: the store's sign-ups in the last hour before this one; `baselineSignups`:
 * its sign-ups over the baseline days.
 */
export function checkSignupBurst(
  { lastHourSignups, baselineSignups }: { lastHourSignups: number; baselineSignups: number },
  rule: SignupBurstRule,
): FlagReason | null {
  return lastHourSignups + 1 > signupBurstThreshold(baselineSignups, rule) ? "signup_burst" : null;
}
