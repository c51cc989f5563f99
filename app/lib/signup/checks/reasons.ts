// The sign-up quality checks' reason codes and the plain-language categories the store sees.
// Browser-safe (no server imports): the admin's labels and filters import it. The codes are
// stored on the referral (StoreReferral.flagReasons), never the e-mail they came from.

/** Why a check flagged a sign-up: stored on the referral, shown to Syntropy's staff. */
export const FLAG_REASONS = [
  /** The new user's e-mail is the store owner's (shop or contact e-mail). */
  "self_referral_email",
  /** The new user's e-mail shares the owner's domain, which is not a public mail provider. */
  "self_referral_domain",
  /** A throwaway (disposable) e-mail domain. */
  "disposable_email",
  /** Many sign-ups from one visitor (same visitor hash) within the configured window. */
  "repeat_visitor",
  /** The store's sign-ups in the last hour far above its own recent hourly rate. */
  "signup_burst",
] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];

/** The checks, by name: a check that fails or times out is recorded as "not checked". */
export const SIGNUP_CHECKS = [
  "self_referral",
  "disposable_email",
  "repeat_visitor",
  "signup_burst",
] as const;
export type SignupCheckName = (typeof SIGNUP_CHECKS)[number];

/** What the store's admin shows and filters by: a category, never the rule or its threshold. */
export const FLAG_CATEGORIES = [
  "self_referral",
  "disposable_email",
  "repeat_visitor",
  "signup_burst",
] as const;
export type FlagCategory = (typeof FLAG_CATEGORIES)[number];

export const FLAG_CATEGORY_OF_REASON = {
  self_referral_email: "self_referral",
  self_referral_domain: "self_referral",
  disposable_email: "disposable_email",
  repeat_visitor: "repeat_visitor",
  signup_burst: "signup_burst",
} as const satisfies Record<FlagReason, FlagCategory>;

export function flagReasonsOfCategory(category: FlagCategory): FlagReason[] {
  return FLAG_REASONS.filter((reason) => FLAG_CATEGORY_OF_REASON[reason] === category);
}

/** The categories of stored reason codes (unknown codes, e.g. from a later release, skipped). */
export function flagCategoriesOf(reasons: readonly string[]): FlagCategory[] {
  const categories = new Set<FlagCategory>();
  for (const reason of reasons) {
    if ((FLAG_REASONS as readonly string[]).includes(reason)) {
      categories.add(FLAG_CATEGORY_OF_REASON[reason as FlagReason]);
    }
  }
  return FLAG_CATEGORIES.filter((category) => categories.has(category));
}

/** Paid-ad click id parameters recorded (names only) at click time: a signal, not a flag. */
export const AD_CLICK_ID_PARAMETERS = ["gclid", "fbclid", "msclkid", "ttclid"] as const;
export type AdClickIdParameter = (typeof AD_CLICK_ID_PARAMETERS)[number];
