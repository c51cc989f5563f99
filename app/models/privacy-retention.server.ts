// The retention purge's statements (docs/privacy.md): each removes or clears at most `limit`
// rows past their retention period, in one short statement of its own, locking only rows no one
// else holds (FOR UPDATE SKIP LOCKED): every app instance runs them without coordinating beyond
// the database, a row being written by a click or a sign-up is left for the next batch, and no
// advisory lock or session state is used (PgBouncer in transaction mode is fine).
// A log table with its own retention is one more entry of RETENTION_STATEMENTS, written with
// `deleteOlderThan` (the outbound webhook events, whose deliveries go with them by cascade).
import { db } from "~/db.server";

export type RetentionTask =
  | "unconverted_clicks"
  | "visitor_hashes"
  | "demo_users"
  | "inbound_webhook_deliveries"
  | "rate_limit_windows"
  | "webhook_events";

/** A log table's batch: rows whose `timeColumn` is older than $1, by their key, at most $2. */
function deleteOlderThan({
  table,
  keyColumns,
  timeColumn,
}: {
  table: string;
  keyColumns: string[];
  timeColumn: string;
}) {
  const key = keyColumns.map((column) => `"${column}"`).join(", ");
  return `
DELETE FROM "${table}" WHERE (${key}) IN (
  SELECT ${key} FROM "${table}" WHERE "${timeColumn}" < $1
   ORDER BY "${timeColumn}" LIMIT $2 FOR UPDATE SKIP LOCKED)`;
}

const RETENTION_STATEMENTS: Record<RetentionTask, string> = {
  // Clicks that never became a sign-up, past their retention period (first: a click deleted
  // needs no hash clearing). Store by store, through the
  // (storeId, status, createdAt) index. A click a sign-up is converting is locked by it (skipped
  // here) or, once committed, no longer 'clicked' (FOR UPDATE re-checks the row). The daily
  // rollups keep every count.
  unconverted_clicks: `
DELETE FROM "StoreReferral" WHERE "id" IN (
  SELECT old."id" FROM "Store" s
   CROSS JOIN LATERAL (
     SELECT r."id" FROM "StoreReferral" r
      WHERE r."storeId" = s."id" AND r."status" = 'clicked' AND r."createdAt" < $1
      ORDER BY r."createdAt" DESC LIMIT $2 FOR UPDATE OF r SKIP LOCKED) old
   LIMIT $2)`,
  // A click's visitor hash (and the hour it deduplicates in) serves only to count a visitor once
  // per hour: cleared past the cookie's 30 days and a margin. The clickBucket index finds them
  // (cleared rows leave it, so no batch walks over the rows of the batches before).
  visitor_hashes: `
UPDATE "StoreReferral" SET "visitorHash" = NULL, "clickBucket" = NULL
 WHERE "id" IN (
  SELECT "id" FROM "StoreReferral" WHERE "clickBucket" < $1
   ORDER BY "clickBucket" LIMIT $2 FOR UPDATE SKIP LOCKED)`,
  // The demo identity's users (never in production): deleted like a Clerk user, erasing them
  // from the referral rows and referral sources in the same statement.
  demo_users: `
WITH deleted AS (
  DELETE FROM "DemoUser" WHERE "id" IN (
    SELECT "id" FROM "DemoUser" WHERE "createdAt" < $1
     ORDER BY "createdAt" LIMIT $2 FOR UPDATE SKIP LOCKED)
  RETURNING "id"
),
referrals AS (
  UPDATE "StoreReferral"
     SET "referredUserId" = NULL, "visitorHash" = NULL, "clickBucket" = NULL, "reviewNote" = NULL, "erasedAt" = now()
   WHERE "referredUserId" IN (SELECT "id" FROM deleted)
),
sources AS (
  DELETE FROM "UserReferralSource" WHERE "userId" IN (SELECT "id" FROM deleted)
)
SELECT "id" FROM deleted`,
  inbound_webhook_deliveries: deleteOlderThan({
    table: "InboundWebhookDelivery",
    keyColumns: ["source", "deliveryId"],
    timeColumn: "receivedAt",
  }),
  rate_limit_windows: deleteOlderThan({
    table: "ApiRateLimitWindow",
    keyColumns: ["bucketKey", "windowStart"],
    timeColumn: "windowStart",
  }),
  webhook_events: deleteOlderThan({
    table: "WebhookEvent",
    keyColumns: ["id"],
    timeColumn: "createdAt",
  }),
};

export const RETENTION_TASKS = Object.keys(RETENTION_STATEMENTS) as RetentionTask[];

/** One batch of a task: the rows removed or cleared (fewer than `limit`: the task is done). */
export async function purgeRetentionBatch({
  task,
  olderThan,
  limit,
}: {
  task: RetentionTask;
  olderThan: Date;
  limit: number;
}): Promise<number> {
  const result = await db.pool.query(RETENTION_STATEMENTS[task], [olderThan, limit]);
  return result.rowCount ?? 0;
}

// The migration's cleaning of stored source URLs and UTM values (20261202130000_privacy_lifecycle,
// whose SQL functions stay in the database), for rows it left: those of its last hour, and those
// that instances of the previous release wrote during a rolling deploy. One batch, SKIP LOCKED;
// each batch reads the table until it has found `limit` rows (an operator's command, not a job).
const MINIMISE_STORED_URLS_SQL = `
UPDATE "StoreReferral"
   SET "sourceUrl" = "privacy_minimised_source_url"("sourceUrl"),
       "utmParams" = "privacy_minimised_utm_params"("utmParams")
 WHERE "id" IN (
  SELECT "id" FROM "StoreReferral"
   WHERE "privacy_may_need_minimising"("sourceUrl", "utmParams")
     AND ("sourceUrl" IS DISTINCT FROM "privacy_minimised_source_url"("sourceUrl")
          OR "utmParams" IS DISTINCT FROM "privacy_minimised_utm_params"("utmParams"))
   LIMIT $1 FOR UPDATE SKIP LOCKED)`;

/** Cleans at most `limit` stored rows by the minimisation rules; returns how many it changed. */
export async function minimiseStoredUrlsBatch({ limit }: { limit: number }): Promise<number> {
  const result = await db.pool.query(MINIMISE_STORED_URLS_SQL, [limit]);
  return result.rowCount ?? 0;
}
