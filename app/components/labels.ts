// Display labels of the domain enums, shared by the admin pages and the CSV export. Typed by the
// enums themselves, so a value without a label fails the typecheck.
import type { StoreCategory, StoreStatus } from "@prisma/client";

import type { FlagCategory } from "~/lib/signup/checks/reasons";
import type { BreakdownDimension } from "~/models/performance";
import type { ReferralChannel, ReferralReview, ReferralStatus } from "~/models/referral-enums";

export const REFERRAL_STATUS_LABELS = {
  clicked: "Clicked",
  signed_up: "Signed up",
  active: "Active",
} as const satisfies Record<ReferralStatus, string>;

/**
 * The status filter's choices: a status reached, so "signed up" counts the users who became
 * active since, as the home's total signups does (the filter in models/referral-listing).
 */
export const REFERRAL_STATUS_FILTER_LABELS = {
  clicked: "Clicked, not signed up",
  signed_up: "Signed up (including active)",
  active: "Active",
} as const satisfies Record<ReferralStatus, string>;

export const REFERRAL_CHANNEL_LABELS = {
  link: "Link",
  qr: "QR code",
  storefront: "Storefront",
  other: "Other",
} as const satisfies Record<ReferralChannel, string>;

export const STORE_CATEGORY_LABELS = {
  supplement_shop: "Supplement shop",
  health_food: "Health food store",
  online_wellness: "Online wellness shop",
  pharmacy: "Pharmacy",
  fitness: "Fitness",
  clinic: "Clinic",
  other: "Other",
} as const satisfies Record<StoreCategory, string>;

export const STORE_STATUS_LABELS = {
  pending: "Pending",
  active: "Active",
  suspended: "Suspended",
  deactivated: "Deactivated",
} as const satisfies Record<StoreStatus, string>;

/** What the store sees of a flagged sign-up: a plain-language category, never the rule. */
export const FLAG_CATEGORY_LABELS = {
  self_referral: "Possible self-referral",
  disposable_email: "Throwaway e-mail",
  repeat_visitor: "Many sign-ups from one device",
  signup_burst: "Unusual burst of sign-ups",
} as const satisfies Record<FlagCategory, string>;

export const REFERRAL_REVIEW_LABELS = {
  flagged: "Under review",
  approved: "Approved",
  rejected: "Not counted",
} as const satisfies Record<ReferralReview, string>;

/** The Performance page's dimensions, as its control and its CSV name them. */
export const BREAKDOWN_DIMENSION_LABELS = {
  channel: "Channel",
  utm_source: "Source (utm_source)",
  utm_medium: "Medium (utm_medium)",
  utm_campaign: "Campaign (utm_campaign)",
  referrer: "Referring site",
} as const satisfies Record<BreakdownDimension, string>;
