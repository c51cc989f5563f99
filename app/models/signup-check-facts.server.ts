// What the sign-up quality checks need to know from the database, in one statement: the store's
// owner e-mail fingerprint, the visitor hash of the sign-up's click, that visitor's recent
// sign-ups for the store, and the store's sign-ups in the last hour and over the baseline days
// (the latter from the per-day rollup, so it costs O(days)). Runs before the sign-up is written.
import { db } from "~/db.server";
import { isUuid } from "~/lib/infra/uuid.server";
import { inSavepoint } from "~/models/referral-signups.server";
import type { DatabaseClient, OwnerEmailFingerprint } from "~/models/store.server";

export interface SignupCheckFacts {
  storeId: number;
  owner: OwnerEmailFingerprint;
  /** The visitor hash of the sign-up's click (null without a click of this store). */
  visitorHash: string | null;
  /** That visitor's sign-ups for the store within the window (0 without a visitor hash). */
  visitorSignups: number;
  /** The store's sign-ups in the last hour. */
  lastHourSignups: number;
  /** The store's sign-ups over the `baselineDays` UTC days before today. */
  baselineSignups: number;
}

const SIGNUP_CHECK_FACTS_SQL = `
WITH store AS (
  SELECT "id", coalesce("ownerEmailHashes", '{}') AS "emailHashes",
         coalesce("ownerEmailDomains", '{}') AS "emailDomains"
    FROM "Store" WHERE "referralCode" = $1 AND "status" = 'active'
),
click AS (
  SELECT r."visitorHash" FROM "StoreReferral" r JOIN store ON r."storeId" = store."id"
   WHERE r."id" = $2::uuid
)
SELECT store."id" AS "storeId", store."emailHashes", store."emailDomains",
       (SELECT "visitorHash" FROM click) AS "visitorHash",
       (SELECT count(*)::int FROM "StoreReferral" r
         WHERE r."storeId" = store."id" AND r."visitorHash" = (SELECT "visitorHash" FROM click)
           AND r."signedUpAt" > now() - make_interval(mins => $3::int)) AS "visitorSignups",
       (SELECT count(*)::int FROM "StoreReferral" r
         WHERE r."storeId" = store."id" AND r."signedUpAt" > now() - interval '1 hour') AS "lastHourSignups",
       (SELECT coalesce(sum(s."signups"), 0)::int FROM "StoreDailyStat" s
         WHERE s."storeId" = store."id"
           AND s."day" >= (now() AT TIME ZONE 'UTC')::date - $4::int
           AND s."day" < (now() AT TIME ZONE 'UTC')::date) AS "baselineSignups"
  FROM store`;

interface FactsRow {
  storeId: number;
  emailHashes: string[];
  emailDomains: string[];
  visitorHash: string | null;
  visitorSignups: number;
  lastHourSignups: number;
  baselineSignups: number;
}

/** The facts for a sign-up through `referralCode`, or null when it names no active store. */
export async function getSignupCheckFacts(
  {
    referralCode,
    clickId,
    visitorWindowMinutes,
    baselineDays,
  }: {
    referralCode: string;
    clickId: string | null;
    visitorWindowMinutes: number;
    baselineDays: number;
  },
  client?: DatabaseClient,
): Promise<SignupCheckFacts | null> {
  const values = [
    referralCode,
    clickId && isUuid(clickId) ? clickId : null,
    visitorWindowMinutes,
    baselineDays,
  ] as const;
  const rows = client
    ? // Behind a savepoint: a failing check must not abort the webhook's transaction.
      await inSavepoint(
        client,
        () => client.$queryRawUnsafe<FactsRow[]>(SIGNUP_CHECK_FACTS_SQL, ...values),
        "signup_check_facts",
      )
    : (await db.pool.query<FactsRow>(SIGNUP_CHECK_FACTS_SQL, [...values])).rows;
  const row = rows[0];
  if (!row) return null;
  return {
    storeId: row.storeId,
    owner: { emailHashes: row.emailHashes, emailDomains: row.emailDomains },
    visitorHash: row.visitorHash,
    visitorSignups: Number(row.visitorSignups),
    lastHourSignups: Number(row.lastHourSignups),
    baselineSignups: Number(row.baselineSignups),
  };
}
