// Everything the database keeps about one referred user (a Clerk user id), found and erased in
// one place (docs/privacy.md). Tables that hold the id: StoreReferral.referredUserId (the user's
// one attributed referral), UserReferralSource.userId (the first referral code) and
// Store.clerkOwnerId (a partner's optional Clerk account). Nothing else stores it or a value
// derived from it: the display label (user-…) is computed from the id when shown, never stored.
import { db } from "~/db.server";
import type { DatabaseClient } from "~/models/store.server";

export interface UserErasureCounts {
  /** Referral rows made anonymous (at most 1: a user is attributed once). */
  referralsAnonymised: number;
  /** UserReferralSource rows deleted (at most 1). */
  referralSourcesDeleted: number;
  /** Stores whose link to the partner's Clerk account was removed. */
  storeOwnersUnlinked: number;
}

// One statement, so it is one transaction on its own and never half done. The referral row stays
// (the store's counts and rollups do not change: the sign-up still happened), marked erased,
// without the user id nor the visitor hash and hour (which could link it to the person's clicks).
const ERASE_USER_SQL = `
WITH referral AS (
  UPDATE "StoreReferral"
     SET "referredUserId" = NULL, "visitorHash" = NULL, "clickBucket" = NULL, "reviewNote" = NULL,
         "erasedAt" = now()
   WHERE "referredUserId" = $1
  RETURNING "id"
),
source AS (
  DELETE FROM "UserReferralSource" WHERE "userId" = $1 RETURNING "userId"
),
owner AS (
  UPDATE "Store" SET "clerkOwnerId" = NULL, "updatedAt" = now() WHERE "clerkOwnerId" = $1
  RETURNING "id"
)
SELECT (SELECT count(*) FROM referral)::int AS "referralsAnonymised",
       (SELECT count(*) FROM source)::int AS "referralSourcesDeleted",
       (SELECT count(*) FROM owner)::int AS "storeOwnersUnlinked"`;

/**
 * Erases a user: safe to repeat (a second call finds nothing and changes nothing). `client` runs
 * it inside a transaction (Clerk's webhook, with its delivery record); without one, on the pool.
 */
export async function eraseUserData(
  { userId }: { userId: string },
  client?: DatabaseClient,
): Promise<UserErasureCounts> {
  const rows = client
    ? await client.$queryRawUnsafe<UserErasureCounts[]>(ERASE_USER_SQL, userId)
    : (await db.pool.query<UserErasureCounts>(ERASE_USER_SQL, [userId])).rows;
  return rows[0]!;
}

/** What is stored about one user, as rows (lib/privacy/export.server.ts shapes the export). */
export async function findUserData({ userId }: { userId: string }) {
  const [referrals, referralSource, storesOwned] = await Promise.all([
    db.prisma.storeReferral.findMany({
      where: { referredUserId: userId },
      include: { store: { select: { shopDomain: true, name: true } } },
    }),
    db.prisma.userReferralSource.findUnique({ where: { userId } }),
    db.prisma.store.findMany({
      where: { clerkOwnerId: userId },
      select: { shopDomain: true, name: true, referralCode: true },
    }),
  ]);
  return { referrals, referralSource, storesOwned };
}
