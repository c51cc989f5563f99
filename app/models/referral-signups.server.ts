// Referral signups and activation (the seeds' record_referral_signup_sync, plus activation):
// a user is attributed to one store at most once, and each change adds to the per-day rollup
// and writes its outbound webhook event (the outbox) in the same statement.
import { db } from "~/db.server";
import { isUuid } from "~/lib/infra/uuid.server";
import { isStoreReferralCode } from "~/models/referral-code";
import {
  addCountsToDailyRollup,
  addToBreakdownRollup,
  addToDailyRollup,
} from "~/models/referral-rollup";
import type { DatabaseClient } from "~/models/store.server";
import { enqueueWebhookEvents } from "~/models/webhook-delivery.server";

const UNIQUE_VIOLATION = "23505";

export interface ReferralSignupResult {
  /** True only for the call that attributed the user (fire STORE_REFERRAL_SIGNUP then). */
  attributed: boolean;
  storeId: number | null;
  referralId: string | null;
  /** The attributed sign-up was flagged by a check (held for review). */
  flagged: boolean;
}

/** What the sign-up quality checks found (lib/signup/checks): stored on the referral. */
export interface SignupQuality {
  /** Reason codes of the checks that flagged it: the sign-up is held for review (flagged). */
  flagReasons: readonly string[];
  /** Checks that could not run ("not checked"). */
  checksNotRun: readonly string[];
}

const UNCHECKED: SignupQuality = { flagReasons: [], checksNotRun: [] };

// $4 flag reasons, $5 checks not run. A sign-up that is not the visitor's own unmatched click
// (their click was already claimed by another user, e.g. a second sign-up from one phone) takes
// the click's visitor hash and ad click ids: the repeat-visitor check counts such sign-ups.
const RECORD_SIGNUP_SQL = `
WITH store AS (
  SELECT "id" FROM "Store" WHERE "referralCode" = $1 AND "status" = 'active'
),
click AS (
  SELECT r."visitorHash", r."adClickIds" FROM "StoreReferral" r JOIN store ON r."storeId" = store."id"
   WHERE r."id" = $3::uuid
),
claimed AS (
  UPDATE "StoreReferral" r
     SET "status" = 'signed_up', "referredUserId" = $2, "signedUpAt" = now(),
         "flagReasons" = $4::text[], "checksNotRun" = $5::text[],
         "review" = CASE WHEN cardinality($4::text[]) > 0 THEN 'flagged'::"ReferralReview" END
    FROM store
   WHERE r."id" = $3::uuid AND r."storeId" = store."id"
     AND r."status" = 'clicked' AND r."referredUserId" IS NULL
     AND NOT EXISTS (SELECT 1 FROM "StoreReferral" WHERE "referredUserId" = $2)
  RETURNING r."id", r."storeId", r."review", r."channel", r."utmParams", r."referrerHost"
),
created AS (
  INSERT INTO "StoreReferral" ("storeId", "referralCode", "status", "referredUserId", "channel",
                               "utmParams", "createdAt", "signedUpAt", "visitorHash", "adClickIds",
                               "flagReasons", "checksNotRun", "review")
  SELECT store."id", $1, 'signed_up', $2, 'link', NULL, now(), now(),
         (SELECT "visitorHash" FROM click), coalesce((SELECT "adClickIds" FROM click), '{}'),
         $4::text[], $5::text[],
         CASE WHEN cardinality($4::text[]) > 0 THEN 'flagged'::"ReferralReview" END
    FROM store
   WHERE NOT EXISTS (SELECT 1 FROM claimed)
  ON CONFLICT ("referredUserId") DO NOTHING
  RETURNING "id", "storeId", "review", "channel", "utmParams", "referrerHost"
),
attributed AS (
  SELECT * FROM claimed UNION ALL SELECT * FROM created
),
rollup AS (${addCountsToDailyRollup(
  { signups: "count(*)", flaggedSignups: `count(*) FILTER (WHERE "review" = 'flagged')` },
  "attributed",
)}),
${enqueueWebhookEvents("referral.signed_up", "attributed", { referralId: 'src."id"' })},
${addToBreakdownRollup("signups", "attributed")}
SELECT "id", "storeId", "review" IS NOT NULL AS "flagged" FROM attributed`;

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
    quality = UNCHECKED,
  }: {
    referralCode: string;
    userId: string;
    clickId?: string | null;
    quality?: SignupQuality;
  },
  client?: DatabaseClient,
): Promise<ReferralSignupResult> {
  const notAttributed = { attributed: false, storeId: null, referralId: null, flagged: false };
  if (!isStoreReferralCode(referralCode) || userId.length === 0) return notAttributed;
  const values = [
    referralCode,
    userId,
    clickId && isUuid(clickId) ? clickId : null,
    [...quality.flagReasons],
    [...quality.checksNotRun],
  ] as const;
  try {
    const rows = client
      ? await inSavepoint(client, () =>
          client.$queryRawUnsafe<SignupRow[]>(RECORD_SIGNUP_SQL, ...values),
        )
      : (await db.pool.query<SignupRow>(RECORD_SIGNUP_SQL, [...values])).rows;
    const row = rows[0];
    return row
      ? { attributed: true, storeId: row.storeId, referralId: row.id, flagged: row.flagged }
      : notAttributed;
  } catch (error) {
    // Two parallel calls that claimed two different clicks for one user: one of them won.
    if (postgresErrorCode(error) === UNIQUE_VIOLATION) return notAttributed;
    throw error;
  }
}

interface SignupRow {
  id: string;
  storeId: number;
  flagged: boolean;
}

/**
 * Runs one statement of a transaction behind a savepoint: an error it raises (and the caller
 * catches) rolls back that statement only, instead of aborting the transaction, whose commit
 * would then silently turn into a rollback.
 */
export async function inSavepoint<T>(
  client: DatabaseClient,
  statement: () => Promise<T>,
  name = "record_referral_signup",
): Promise<T> {
  await client.$executeRawUnsafe(`SAVEPOINT ${name}`);
  try {
    const result = await statement();
    await client.$executeRawUnsafe(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (error) {
    await client.$executeRawUnsafe(`ROLLBACK TO SAVEPOINT ${name}`);
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
  RETURNING "id", "storeId", "channel", "utmParams", "referrerHost"
),
rollup AS (${addToDailyRollup("activations", "activated")}),
${enqueueWebhookEvents("referral.activated", "activated", { referralId: 'src."id"' })},
${addToBreakdownRollup("activations", "activated")}
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
