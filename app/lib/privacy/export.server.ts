// The export of everything stored about one user (`npm run privacy -- export-user <id>`), for
// Syntropy Health's staff answering a subject access request. An erased or unknown user's export
// lists nothing: that is the proof that nothing is left.
import { anonymizeUserId } from "~/lib/infra/keyed-hash.server";
import { findUserData } from "~/models/personal-data.server";

export interface UserDataExport {
  userId: string;
  exportedAt: string;
  /** False when nothing at all is stored about the user. */
  found: boolean;
  /** The label the partner store sees for this user (computed from the id, never stored). */
  displayLabel: string | null;
  referralSource: { referralCode: string; createdAt: string } | null;
  referrals: Array<{
    id: string;
    store: { shopDomain: string; name: string };
    referralCode: string;
    status: string;
    channel: string;
    utmParams: unknown;
    sourceUrl: string | null;
    clickedAt: string;
    signedUpAt: string | null;
    activatedAt: string | null;
    /** The sign-up quality checks' record (lib/signup/checks): reason codes, review, its note. */
    quality: {
      adClickIds: string[];
      flagReasons: string[];
      checksNotRun: string[];
      review: string | null;
      reviewedAt: string | null;
      reviewNote: string | null;
    };
  }>;
  /** Partner stores linked to this Clerk account (Store.clerkOwnerId). */
  storesOwned: Array<{ shopDomain: string; name: string; referralCode: string }>;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export async function exportUser(
  { userId }: { userId: string },
  now = new Date(),
): Promise<UserDataExport> {
  const { referrals, referralSource, storesOwned } = await findUserData({ userId });
  const found = referrals.length > 0 || referralSource !== null || storesOwned.length > 0;
  return {
    userId,
    exportedAt: now.toISOString(),
    found,
    displayLabel: referrals.length > 0 ? anonymizeUserId(userId) : null,
    referralSource: referralSource
      ? {
          referralCode: referralSource.referralCode,
          createdAt: referralSource.createdAt.toISOString(),
        }
      : null,
    referrals: referrals.map((row) => ({
      id: row.id,
      store: row.store,
      referralCode: row.referralCode,
      status: row.status,
      channel: row.channel,
      utmParams: row.utmParams,
      sourceUrl: row.sourceUrl,
      clickedAt: row.createdAt.toISOString(),
      signedUpAt: iso(row.signedUpAt),
      activatedAt: iso(row.activatedAt),
      quality: {
        adClickIds: row.adClickIds,
        flagReasons: row.flagReasons,
        checksNotRun: row.checksNotRun,
        review: row.review,
        reviewedAt: iso(row.reviewedAt),
        reviewNote: row.reviewNote,
      },
    })),
    storesOwned,
  };
}
