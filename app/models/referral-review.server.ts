// Syntropy Health's staff review the sign-ups a quality check flagged (npm run stores -- flags,
// approve, reject). flagged → approved | rejected, and a reviewer may correct a decision
// (approved ⇄ rejected). Each change adjusts the per-day rollup of the sign-up's own UTC day in
// the same statement, so the qualified count (signups − flagged − rejected) stays exact.
import type { ReferralReview } from "@prisma/client";

import { db } from "~/db.server";
import { isUuid } from "~/lib/infra/uuid.server";
import { addCountsToDailyRollup } from "~/models/referral-rollup";

export type { ReferralReview };
export type ReviewDecision = Exclude<ReferralReview, "flagged">;

export interface FlaggedReferral {
  id: string;
  shopDomain: string;
  referralCode: string;
  signedUpAt: Date | null;
  review: ReferralReview;
  flagReasons: string[];
  checksNotRun: string[];
  adClickIds: string[];
  reviewNote: string | null;
  reviewedAt: Date | null;
}

/** The sign-ups awaiting review (or, with `includeReviewed`, every flagged one), oldest first. */
export async function listFlaggedReferrals({
  shopDomain,
  includeReviewed = false,
  limit = 200,
}: {
  shopDomain?: string;
  includeReviewed?: boolean;
  limit?: number;
} = {}): Promise<FlaggedReferral[]> {
  const rows = await db.prisma.storeReferral.findMany({
    where: {
      review: includeReviewed ? { not: null } : "flagged",
      store: shopDomain ? { shopDomain } : undefined,
    },
    orderBy: [{ signedUpAt: "asc" }, { id: "asc" }],
    take: Math.max(1, Math.min(limit, 1000)),
    select: {
      id: true,
      referralCode: true,
      signedUpAt: true,
      review: true,
      flagReasons: true,
      checksNotRun: true,
      adClickIds: true,
      reviewNote: true,
      reviewedAt: true,
      store: { select: { shopDomain: true } },
    },
  });
  return rows.map(({ store, review, ...row }) => ({
    ...row,
    review: review!,
    shopDomain: store.shopDomain,
  }));
}

export type ReviewResult =
  | { outcome: "reviewed"; from: ReferralReview; to: ReviewDecision; storeId: number }
  | { outcome: "unchanged"; review: ReviewDecision; storeId: number }
  | { outcome: "not_flagged"; storeId: number }
  | { outcome: "not_found" };

// The row is locked first: a parallel review of the same sign-up waits, then sees this one's
// decision (and changes nothing when it is the same), so the rollup moves once per change.
const REVIEW_SQL = `
WITH target AS (
  SELECT "id", "storeId", "review", "signedUpAt" FROM "StoreReferral"
   WHERE "id" = $1::uuid FOR UPDATE
),
changed AS (
  UPDATE "StoreReferral" r
     SET "review" = $2::"ReferralReview", "reviewedAt" = now(), "reviewNote" = $3
    FROM target t
   WHERE r."id" = t."id" AND t."review" IS NOT NULL AND t."review" <> $2::"ReferralReview"
     AND t."signedUpAt" IS NOT NULL
  RETURNING r."id", r."storeId", r."signedUpAt", t."review" AS "from"
),
rollup AS (${addCountsToDailyRollup(
  {
    flaggedSignups: `sum(CASE WHEN "from" = 'flagged' THEN -1 ELSE 0 END)::int`,
    rejectedSignups: `sum(CASE WHEN $2::"ReferralReview" = 'rejected' THEN 1
                               WHEN "from" = 'rejected' THEN -1 ELSE 0 END)::int`,
  },
  "changed",
  // The day the sign-up counted on, in the store's zone (decision 0018: after a change of zone,
  // a sign-up from before may land a day apart; the store's totals stay right).
  `(src."signedUpAt" AT TIME ZONE tz."timeZone")::date`,
)})
SELECT t."storeId", t."review"::text AS "before", (SELECT count(*) FROM changed)::int AS "changed"
  FROM target t`;

/** Approves or rejects a flagged sign-up; `note` is the reason of a rejection. */
export async function reviewFlaggedReferral({
  referralId,
  decision,
  note = null,
}: {
  referralId: string;
  decision: ReviewDecision;
  note?: string | null;
}): Promise<ReviewResult> {
  if (!isUuid(referralId)) return { outcome: "not_found" };
  const { rows } = await db.pool.query<{
    storeId: number;
    before: ReferralReview | null;
    changed: number;
  }>(REVIEW_SQL, [referralId, decision, decision === "rejected" ? note : null]);
  const row = rows[0];
  if (!row) return { outcome: "not_found" };
  if (row.before === null) return { outcome: "not_flagged", storeId: row.storeId };
  if (row.changed === 0) return { outcome: "unchanged", review: decision, storeId: row.storeId };
  return { outcome: "reviewed", from: row.before, to: decision, storeId: row.storeId };
}
