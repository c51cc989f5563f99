// The referral domain's enums, defined once from Prisma's (prisma/schema.prisma) and imported by
// the admin labels, the filters and the Integration API schema. Plain arrays, so that browser
// code can use them without the Prisma client; the checks below fail `npm run typecheck` when
// the schema gains or loses a value that these lists do not.
import type { ReferralChannel, ReferralReview, ReferralStatus } from "@prisma/client";

export type { ReferralChannel, ReferralReview, ReferralStatus };

export const REFERRAL_CHANNELS = [
  "link",
  "qr",
  "storefront",
  "other",
] as const satisfies readonly ReferralChannel[];

export const REFERRAL_STATUSES = [
  "clicked",
  "signed_up",
  "active",
] as const satisfies readonly ReferralStatus[];

export const REFERRAL_REVIEWS = [
  "flagged",
  "approved",
  "rejected",
] as const satisfies readonly ReferralReview[];

type Exhaustive<Listed, All> = [Exclude<All, Listed>] extends [never] ? true : never;
const channelsListed: Exhaustive<(typeof REFERRAL_CHANNELS)[number], ReferralChannel> = true;
const statusesListed: Exhaustive<(typeof REFERRAL_STATUSES)[number], ReferralStatus> = true;
const reviewsListed: Exhaustive<(typeof REFERRAL_REVIEWS)[number], ReferralReview> = true;
void reviewsListed;
void channelsListed;
void statusesListed;
