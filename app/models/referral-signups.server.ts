// Referral signups and activation (the seeds' record_referral_signup_sync, plus activation):
// a user is attributed to one store at most once, and each change adds to the per-day rollup in
// the same statement.
import { db } from "~/db.server";
import { isUuid } from "~/lib/infra/uuid.server";
import { isStoreReferralCode } from "~/models/referral-code";
import { addToDailyRollup } from "~/models/referral-rollup";
import type { DatabaseClient } from "~/models/store.server";

const UNIQUE_VIOLATION = "23505";

export interface ReferralSignupResult {
  /** True only for the call that attributed the user (fire STORE_REFERRAL_SIGNUP then). */
  attributed: boolean;
  storeId: number | null;
  referralId: string | null;
}

const RECORD_SIGNUP_SQL = `
WITH store AS (
  SELECT "id" FROM "Store" WHERE "referralCode" = $1 AND "status" = 'active'
),
claimed AS (
  UPDATE "StoreReferral" r
     SET "status" = 'signed_up', "referredUserId" = $2, "signedUpAt" = now()
    FROM store
   WHERE r."id" = $3::uuid AND r."storeId" = store."id"
     AND r."status" = 'clicked' AND r."referredUserId" IS NULL
     AND NOT EXISTS (SELECT 1 FROM "StoreReferral" WHERE "referredUserId" = $2)
  RETURNING r."id", r."storeId"
),
created AS (
  INSERT INTO "StoreReferral" ("storeId", "referralCode", "status", "referredUserId", "channel",
                               "utmParams", "createdAt", "signedUpAt")
  SELECT store."id", $1, 'signed_up', $2, 'link', NULL, now(), now() FROM store
   WHERE NOT EXISTS (SELECT 1 FROM claimed)
  ON CONFLICT ("referredUserId") DO NOTHING
  RETURNING "id", "storeId"
),
attributed AS (
  SELECT * FROM claimed UNION ALL SELECT * FROM created
),
rollup AS (${addToDailyRollup("signups", "attributed")})
SELECT "id", "storeId" FROM attributed`;

/**
 * Attributes a signed-up user to the store of a referral code, at most once per user: the
 * visitor's own unmatched click (clickId) becomes signed_up, otherwise a signed_up row is
 * created. Repeated or parallel calls leave exactly one row (unique index + ON CONFLICT).
 * `client` runs it inside a transaction (Clerk's webhook); without one it goes to the pool.
 */
export async function recordReferralSignup(
  {
    referralCode,
    userId,
    clickId = null,
  }: {
    referralCode: string;
    userId: string;
    clickId?: string | null;
  },
  client?: DatabaseClient,
): Promise<ReferralSignupResult> {
  const notAttributed = { attributed: false, storeId: null, referralId: null };
  if (!isStoreReferralCode(referralCode) || userId.length === 0) return notAttributed;
  const values = [referralCode, userId, clickId && isUuid(clickId) ? clickId : null] as const;
  try {
    const rows = client
      ? await inSavepoint(client, () =>
          client.$queryRawUnsafe<SignupRow[]>(RECORD_SIGNUP_SQL, ...values),
        )
      : (await db.pool.query<SignupRow>(RECORD_SIGNUP_SQL, [...values])).rows;
    const row = rows[0];
    return row ? { attributed: true, storeId: row.storeId, referralId: row.id } : notAttributed;
  } catch (error) {
    // Two parallel calls that claimed two different clicks for one user: one of them won.
    if (postgresErrorCode(error) === UNIQUE_VIOLATION) return notAttributed;
    throw error;
  }
}

interface SignupRow {
  id: string;
  storeId: number;
}

/**
 * Runs one statement of a transaction behind a savepoint: an error it raises (and the caller
 * catches) rolls back that statement only, instead of aborting the transaction, whose commit
 * would then silently turn into a rollback.
 */
async function inSavepoint<T>(client: DatabaseClient, statement: () => Promise<T>): Promise<T> {
  await client.$executeRawUnsafe("SAVEPOINT record_referral_signup");
  try {
    const result = await statement();
    await client.$executeRawUnsafe("RELEASE SAVEPOINT record_referral_signup");
    return result;
  } catch (error) {
    await client.$executeRawUnsafe("ROLLBACK TO SAVEPOINT record_referral_signup");
    throw error;
  }
}

/** PostgreSQL's SQLSTATE, from Prisma's error (raw queries through adapter-pg) or from pg's. */
function postgresErrorCode(error: unknown): string | undefined {
  const { meta, code } = error as {
    meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } };
    code?: unknown;
  };
  // Prisma's own code (P2010, "raw query failed") wraps PostgreSQL's.
  const original = meta?.driverAdapterError?.cause?.originalCode ?? code;
  return typeof original === "string" ? original : undefined;
}

export type ActivationResult =
  | { outcome: "activated"; storeId: number; referralId: string }
  | { outcome: "already_active"; storeId: number; referralId: string }
  | { outcome: "not_found" };

const MARK_ACTIVE_SQL = `
WITH activated AS (
  UPDATE "StoreReferral" SET "status" = 'active', "activatedAt" = now()
   WHERE "referredUserId" = $1 AND "status" = 'signed_up'
  RETURNING "id", "storeId"
),
rollup AS (${addToDailyRollup("activations", "activated")})
SELECT "id", "storeId" FROM activated`;

/**
 * Marks a referred user active. Repeating it changes nothing. `storeId` limits it to one
 * store's users (an Integration API key acts for its own store only).
 */
export async function markReferralActive({
  userId,
  storeId,
}: {
  userId: string;
  storeId?: number;
}): Promise<ActivationResult> {
  const existing = await db.prisma.storeReferral.findUnique({
    where: { referredUserId: userId },
    select: { id: true, storeId: true, status: true },
  });
  if (!existing || (storeId !== undefined && existing.storeId !== storeId)) {
    return { outcome: "not_found" };
  }
  const { rows } = await db.pool.query<{ id: string; storeId: number }>(MARK_ACTIVE_SQL, [userId]);
  const row = rows[0];
  if (row) return { outcome: "activated", storeId: row.storeId, referralId: row.id };
  return {
    outcome: "already_active",
    storeId: existing.storeId,
    referralId: existing.id,
  };
}
