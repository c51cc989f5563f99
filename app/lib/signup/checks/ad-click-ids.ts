// Paid-ad click ids on a referral link (gclid, fbclid, msclkid, ttclid): which parameter names
// were present, never their values. Runs on every click (the hot path): four lookups.
import { AD_CLICK_ID_PARAMETERS, type AdClickIdParameter } from "~/lib/signup/checks/reasons";

export function adClickIdsOf(
  query: URLSearchParams | null | undefined,
): readonly AdClickIdParameter[] {
  if (!query) return [];
  let present: AdClickIdParameter[] | undefined;
  for (const name of AD_CLICK_ID_PARAMETERS) {
    if (query.has(name)) (present ??= []).push(name);
  }
  return present ?? NONE;
}

const NONE: readonly AdClickIdParameter[] = Object.freeze([]);
