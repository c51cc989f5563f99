// The seeds' User.referral_source, kept by this app: the first referral code of each signed-up
// user. "First referral wins" is a primary key and ON CONFLICT DO NOTHING, never a check first.
import { db } from "~/db.server";
import type { DatabaseClient } from "~/models/store.server";

export interface ReferralSourceClaim {
  /** True only for the call that set the user's referral source. */
  claimed: boolean;
  /** The user's referral source: this call's code, or the one claimed before. */
  referralCode: string;
}

const CLAIM_SQL = `
WITH claimed AS (
  INSERT INTO "UserReferralSource" ("userId", "referralCode", "createdAt")
  VALUES ($1, $2, now())
  ON CONFLICT ("userId") DO NOTHING
  RETURNING "referralCode"
)
SELECT "referralCode", true AS "claimed" FROM claimed
UNION ALL
SELECT "referralCode", false FROM "UserReferralSource"
 WHERE "userId" = $1 AND NOT EXISTS (SELECT 1 FROM claimed)`;

/**
 * Sets the user's referral source unless one is set already; tells which code holds. `client`
 * runs it inside a transaction (Clerk's webhook); without one it goes straight to the pool.
 */
export async function claimReferralSource(
  { userId, referralCode }: { userId: string; referralCode: string },
  client?: DatabaseClient,
): Promise<ReferralSourceClaim> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const rows = client
      ? await client.$queryRawUnsafe<ReferralSourceClaim[]>(CLAIM_SQL, userId, referralCode)
      : (await db.pool.query<ReferralSourceClaim>(CLAIM_SQL, [userId, referralCode])).rows;
    if (rows[0]) return rows[0];
    // The conflicting row was committed by a parallel call after this statement's snapshot was
    // taken: it is visible to the next statement.
  }
  throw new Error(`Could not read the referral source of user ${userId}`);
}

export function getReferralSource({ userId }: { userId: string }) {
  return db.prisma.userReferralSource.findUnique({ where: { userId } });
}
