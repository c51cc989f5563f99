// Many sign-ups from one visitor: the visitor hash (a keyed hash of IP + user agent, the click's)
// already signed up more than `maxPerWindow` users for this store within the window.
import type { FlagReason } from "~/lib/signup/checks/reasons";

export interface RepeatVisitorRule {
  /** Sign-ups one visitor may make within the window before the next ones are flagged. */
  maxPerWindow: number;
  windowMinutes: number;
}

/** `earlierSignups`: this visitor's sign-ups for the store within the window, this one excluded. */
export function checkRepeatVisitor(
  { earlierSignups }: { earlierSignups: number },
  rule: RepeatVisitorRule,
): FlagReason | null {
  return earlierSignups >= rule.maxPerWindow ? "repeat_visitor" : null;
}
