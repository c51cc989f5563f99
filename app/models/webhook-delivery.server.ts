// The outbound webhook outbox and its deliveries (docs/decisions/0020-outbound-webhooks.md).
// An event is written by the very statement that makes the change (enqueueWebhookEvents, a CTE
// the signup, activation and store-status statements embed), so a committed change always has
// its event and a rolled-back one never. The worker (lib/webhooks/outbound/worker.server.ts)
// claims due deliveries with FOR UPDATE SKIP LOCKED and leases them by moving nextAttemptAt on:
// no advisory lock and no session state, so PgBouncer in transaction mode keeps working.
import type { WebhookDeliveryStatus } from "@prisma/client";

import { db } from "~/db.server";
import { isUuid } from "~/lib/infra/uuid.server";
import { toReferralEvent, type ReferralEvent } from "~/models/referral-listing.server";
import {
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_TEST_EVENT_TYPE,
  type WebhookEventType,
} from "~/schemas/webhook-event-types";

export type { WebhookDeliveryStatus };

const SUBSCRIBED = (type: WebhookEventType, endpoint: string, storeId: string) =>
  `${endpoint}."storeId" = ${storeId} AND ${endpoint}."disabledAt" IS NULL ` +
  `AND '${type}' = ANY(${endpoint}."events")`;

/**
 * Two CTEs (`<name>_events`, `<name>_deliveries`) that write one event per row of `source` whose
 * store has an enabled endpoint subscribed to `type`, and one delivery per such endpoint. Embed
 * them in the WITH list of the statement that makes the change: PostgreSQL runs a WITH's
 * data-modifying statements whether or not the query reads them. `source` must have "storeId";
 * `referralId` and `data` are SQL expressions over its columns.
 */
export function enqueueWebhookEvents(
  type: WebhookEventType,
  source: string,
  { name = "webhook", referralId = "NULL::uuid", data = "'{}'::jsonb" } = {},
): string {
  if (!WEBHOOK_EVENT_TYPES.includes(type)) throw new Error(`Unknown webhook event ${type}`);
  return `${name}_events AS (
  INSERT INTO "WebhookEvent" ("storeId", "type", "referralId", "data")
  SELECT src."storeId", '${type}', ${referralId}, ${data} FROM ${source} src
   WHERE EXISTS (SELECT 1 FROM "WebhookEndpoint" e WHERE ${SUBSCRIBED(type, "e", 'src."storeId"')})
  RETURNING "id", "storeId"
),
${name}_deliveries AS (
  INSERT INTO "WebhookDelivery" ("eventId", "endpointId")
  SELECT ev."id", e."id" FROM ${name}_events ev
    JOIN "WebhookEndpoint" e ON ${SUBSCRIBED(type, "e", 'ev."storeId"')}
)`;
}

/** Queues a webhook.test event to one of the store's endpoints (even a disabled one's log shows it). */
export async function enqueueTestEvent({
  storeId,
  endpointId,
}: {
  storeId: number;
  endpointId: string;
}): Promise<{ deliveryId: string } | null> {
  if (!isUuid(endpointId)) return null;
  const rows = await db.prisma.$queryRaw<Array<{ id: string }>>`
    WITH endpoint AS (
      SELECT "id", "storeId" FROM "WebhookEndpoint" WHERE "id" = ${endpointId}::uuid AND "storeId" = ${storeId}
    ),
    event AS (
      INSERT INTO "WebhookEvent" ("storeId", "type") SELECT "storeId", ${WEBHOOK_TEST_EVENT_TYPE} FROM endpoint
      RETURNING "id"
    )
    INSERT INTO "WebhookDelivery" ("eventId", "endpointId")
    SELECT event."id", endpoint."id" FROM event, endpoint
    RETURNING "id"`;
  return rows[0] ? { deliveryId: rows[0].id } : null;
}

/** A delivery another attempt of which is again due now: same event, hence same webhook-id. */
export async function resendDelivery({
  storeId,
  deliveryId,
}: {
  storeId: number;
  deliveryId: string;
}): Promise<{ deliveryId: string } | null> {
  if (!isUuid(deliveryId)) return null;
  const rows = await db.prisma.$queryRaw<Array<{ id: string }>>`
    INSERT INTO "WebhookDelivery" ("eventId", "endpointId")
    SELECT d."eventId", d."endpointId" FROM "WebhookDelivery" d
      JOIN "WebhookEndpoint" e ON e."id" = d."endpointId"
     WHERE d."id" = ${deliveryId}::uuid AND e."storeId" = ${storeId}
    RETURNING "id"`;
  return rows[0] ? { deliveryId: rows[0].id } : null;
}

/** What the worker needs to build, sign and send one attempt. */
export interface ClaimedDelivery {
  id: string;
  /** This attempt's number (1 for the first): the result is recorded only for it. */
  attempt: number;
  createdAt: Date;
  eventId: string;
  type: string;
  eventCreatedAt: Date;
  referralId: string | null;
  data: Record<string, unknown>;
  endpointId: string;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  storeReferralCode: string;
  /** Raw, for the operator's trusted endpoints only (null once the user is erased). */
  referredUserId: string | null;
  /** The event's referral as it is now, anonymized (null: none, or purged). */
  referral: ReferralEvent | null;
}

// $1/$2 endpoints with attempts in flight in this instance and how many, $3 the per-endpoint
// limit, $4 the most to claim, $5 the lease (ms): the attempt is due again after it, so an
// instance killed mid-attempt loses nothing (at-least-once). Only pending rows of enabled
// endpoints; each endpoint's lateral probe uses the partial (endpointId, nextAttemptAt) index.
const CLAIM_SQL = `
WITH busy AS (
  SELECT * FROM unnest($1::uuid[], $2::int[]) AS b("endpointId", "inFlight")
),
due AS (
  SELECT d."id", d."endpointId",
         row_number() OVER (PARTITION BY d."endpointId" ORDER BY d."nextAttemptAt") AS "rank",
         $3::int - coalesce(b."inFlight", 0) AS "free"
    FROM "WebhookEndpoint" e
    LEFT JOIN busy b ON b."endpointId" = e."id"
    CROSS JOIN LATERAL (
      SELECT w."id", w."endpointId", w."nextAttemptAt" FROM "WebhookDelivery" w
       WHERE w."endpointId" = e."id" AND w."status" = 'pending' AND w."nextAttemptAt" <= now()
       ORDER BY w."nextAttemptAt"
       LIMIT $3
       FOR UPDATE SKIP LOCKED
    ) d
   WHERE e."disabledAt" IS NULL AND coalesce(b."inFlight", 0) < $3::int
),
picked AS (
  SELECT "id" FROM due WHERE "rank" <= "free" LIMIT $4
),
claimed AS (
  UPDATE "WebhookDelivery" d
     SET "attempts" = d."attempts" + 1, "lastAttemptAt" = now(),
         "nextAttemptAt" = now() + $5::int * interval '1 millisecond'
    FROM picked WHERE d."id" = picked."id"
  RETURNING d."id", d."attempts", d."createdAt", d."eventId", d."endpointId"
)
SELECT c."id", c."attempts" AS "attempt", c."createdAt", ev."id" AS "eventId", ev."type",
       ev."createdAt" AS "eventCreatedAt", ev."referralId", ev."data", e."id" AS "endpointId",
       e."url", e."secret",
       CASE WHEN e."previousSecretExpiresAt" > now() THEN e."previousSecret" END AS "previousSecret",
       e."previousSecretExpiresAt", s."referralCode" AS "storeReferralCode",
       r."referredUserId", r."id" AS "r_id", r."status" AS "r_status", r."channel" AS "r_channel",
       r."referralCode" AS "r_referralCode", r."utmParams" AS "r_utmParams",
       r."sourceUrl" AS "r_sourceUrl", r."createdAt" AS "r_createdAt",
       r."signedUpAt" AS "r_signedUpAt", r."activatedAt" AS "r_activatedAt",
       r."flagReasons" AS "r_flagReasons", r."review" AS "r_review", r."adClickIds" AS "r_adClickIds"
  FROM claimed c
  JOIN "WebhookEvent" ev ON ev."id" = c."eventId"
  JOIN "WebhookEndpoint" e ON e."id" = c."endpointId"
  JOIN "Store" s ON s."id" = ev."storeId"
  LEFT JOIN "StoreReferral" r ON r."id" = ev."referralId"`;

type ClaimRow = Omit<ClaimedDelivery, "referral"> & Record<`r_${string}`, unknown>;

/** Claims up to `limit` due attempts, at most `perEndpoint` in flight per endpoint. */
export async function claimDueDeliveries({
  limit,
  perEndpoint,
  inFlight,
  leaseMs,
}: {
  limit: number;
  perEndpoint: number;
  inFlight: ReadonlyMap<string, number>;
  leaseMs: number;
}): Promise<ClaimedDelivery[]> {
  if (limit <= 0) return [];
  const { rows } = await db.pool.query<ClaimRow>(CLAIM_SQL, [
    [...inFlight.keys()],
    [...inFlight.values()],
    perEndpoint,
    limit,
    leaseMs,
  ]);
  // The referral read in the claim itself: one statement per attempt fewer.
  return rows.map((row) => {
    const delivery: Record<string, unknown> = {};
    const referral: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row)) {
      if (key.startsWith("r_")) referral[key.slice(2)] = value;
      else delivery[key] = value;
    }
    return {
      ...(delivery as Omit<ClaimedDelivery, "referral">),
      referral: referral.id
        ? toReferralEvent({
            ...(referral as unknown as Parameters<typeof toReferralEvent>[0]),
            referredUserId: row.referredUserId,
          })
        : null,
    };
  });
}

export type AttemptOutcome =
  /** 2xx: done. */
  | { kind: "delivered" }
  /** Failed; retried at `nextAttemptAt`, or given up (`nextAttemptAt` null). */
  | { kind: "failed"; nextAttemptAt: Date | null }
  /** 410 Gone: the delivery is failed and the endpoint disabled. */
  | { kind: "gone" };

// One statement: the attempt's result (only if the row is still this attempt's: a lease that
// ran out and was claimed again is not overwritten) and the endpoint's count of deliveries
// failed in a row (given up after every retry; a success resets it), which disables it at the
// configured limit, or at once on a 410. Retries alone never disable: an outage shorter than
// the retry window loses nothing and leaves the endpoint on.
const RECORD_SQL = `
WITH attempt AS (
  UPDATE "WebhookDelivery"
     SET "status" = $3::"WebhookDeliveryStatus", "nextAttemptAt" = coalesce($4::timestamptz, "nextAttemptAt"),
         "lastStatusCode" = $5, "lastLatencyMs" = $6, "lastError" = $7,
         "deliveredAt" = CASE WHEN $3 = 'delivered' THEN now() END
   WHERE "id" = $1::uuid AND "attempts" = $2 AND "status" = 'pending'
  RETURNING "endpointId"
)
UPDATE "WebhookEndpoint" e
   SET "consecutiveFailures" = CASE $3 WHEN 'delivered' THEN 0 WHEN 'failed' THEN e."consecutiveFailures" + 1
                                ELSE e."consecutiveFailures" END,
       "disabledAt" = CASE
         WHEN e."disabledAt" IS NOT NULL THEN e."disabledAt"
         WHEN $8 OR ($3 = 'failed' AND e."consecutiveFailures" + 1 >= $9) THEN now()
       END,
       "disabledReason" = CASE
         WHEN e."disabledAt" IS NOT NULL THEN e."disabledReason"
         WHEN $8 THEN 'The endpoint answered 410 Gone.'
         WHEN $3 = 'failed' AND e."consecutiveFailures" + 1 >= $9
           THEN $9 || ' deliveries in a row failed after every retry (last: ' || coalesce($7, 'HTTP ' || $5) || ').'
       END
  FROM attempt WHERE e."id" = attempt."endpointId"
RETURNING e."disabledAt" IS NOT NULL AS "disabled"`;

/** Records one attempt's result; false if the attempt was no longer the row's (lease lost). */
export async function recordDeliveryAttempt({
  deliveryId,
  attempt,
  outcome,
  statusCode,
  latencyMs,
  error,
  maxConsecutiveFailures,
}: {
  deliveryId: string;
  attempt: number;
  outcome: AttemptOutcome;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  maxConsecutiveFailures: number;
}): Promise<boolean> {
  const status: WebhookDeliveryStatus =
    outcome.kind === "delivered"
      ? "delivered"
      : outcome.kind === "failed" && outcome.nextAttemptAt
        ? "pending"
        : "failed";
  const nextAttemptAt = outcome.kind === "failed" ? outcome.nextAttemptAt : null;
  const { rowCount } = await db.pool.query(RECORD_SQL, [
    deliveryId,
    attempt,
    status,
    nextAttemptAt,
    statusCode,
    Math.round(latencyMs),
    error?.slice(0, 500) ?? null,
    outcome.kind === "gone",
    maxConsecutiveFailures,
  ]);
  return (rowCount ?? 0) > 0;
}

// Clicks of an endpoint's store after its cursor and before `$2` (a UUIDv7 floor some seconds
// back, so that a click whose id was minted just before a slow commit is not skipped), as
// referral.clicked events. FOR UPDATE SKIP LOCKED on the endpoint: one instance at a time moves
// its cursor. Only rows that were clicks (clickBucket set), not sign-ups made without one.
const CLICK_FEED_SQL = `
WITH endpoint AS (
  SELECT "id", "storeId", "clickCursor" FROM "WebhookEndpoint"
   WHERE "id" = $1::uuid AND "disabledAt" IS NULL AND 'referral.clicked' = ANY("events")
     AND "clickCursor" IS NOT NULL
   FOR UPDATE SKIP LOCKED
),
clicks AS (
  SELECT r."id", r."storeId" FROM "StoreReferral" r, endpoint
   WHERE r."id" > endpoint."clickCursor" AND r."id" < $2::uuid
     AND r."storeId" = endpoint."storeId" AND r."clickBucket" IS NOT NULL
   ORDER BY r."id" LIMIT $3
),
events AS (
  INSERT INTO "WebhookEvent" ("storeId", "type", "referralId")
  SELECT "storeId", 'referral.clicked', "id" FROM clicks
  RETURNING "id"
),
deliveries AS (
  INSERT INTO "WebhookDelivery" ("eventId", "endpointId") SELECT "id", $1::uuid FROM events
),
moved AS (
  UPDATE "WebhookEndpoint" SET "clickCursor" = (SELECT "id" FROM clicks ORDER BY "id" DESC LIMIT 1)
   WHERE "id" = $1::uuid AND EXISTS (SELECT 1 FROM clicks)
)
SELECT count(*)::int AS "enqueued" FROM clicks`;

/** Enqueues up to `limit` new clicks of one endpoint's store; returns how many. */
export async function enqueueClickFeed({
  endpointId,
  before,
  limit,
}: {
  endpointId: string;
  before: string;
  limit: number;
}): Promise<number> {
  const { rows } = await db.pool.query<{ enqueued: number }>(CLICK_FEED_SQL, [
    endpointId,
    before,
    limit,
  ]);
  return rows[0]?.enqueued ?? 0;
}

export interface DeliveryLogEntry {
  id: string;
  endpointId: string;
  url: string;
  eventId: string;
  type: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
}

export const DELIVERY_LOG_PAGE_SIZE = 25;

/**
 * One page of a store's delivery log, newest first (keyset on createdAt, id): `before` is the
 * last entry of the previous page.
 */
export async function listDeliveriesForStore({
  storeId,
  endpointId,
  before,
  take = DELIVERY_LOG_PAGE_SIZE,
}: {
  storeId: number;
  endpointId?: string;
  before?: { createdAt: Date; id: string };
  take?: number;
}): Promise<{ entries: DeliveryLogEntry[]; hasMore: boolean }> {
  if (endpointId !== undefined && !isUuid(endpointId)) return { entries: [], hasMore: false };
  if (before && !isUuid(before.id)) return { entries: [], hasMore: false };
  const rows = await db.prisma.webhookDelivery.findMany({
    where: {
      endpoint: { storeId },
      endpointId,
      ...(before
        ? {
            OR: [
              { createdAt: { lt: before.createdAt } },
              { createdAt: before.createdAt, id: { lt: before.id } },
            ],
          }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: take + 1,
    include: { event: { select: { type: true } }, endpoint: { select: { url: true } } },
  });
  return {
    hasMore: rows.length > take,
    entries: rows.slice(0, take).map((row) => ({
      id: row.id,
      endpointId: row.endpointId,
      url: row.endpoint.url,
      eventId: row.eventId,
      type: row.event.type,
      status: row.status,
      attempts: row.attempts,
      lastStatusCode: row.lastStatusCode,
      lastLatencyMs: row.lastLatencyMs,
      lastError: row.lastError,
      lastAttemptAt: row.lastAttemptAt,
      nextAttemptAt: row.status === "pending" ? row.nextAttemptAt : null,
      createdAt: row.createdAt,
    })),
  };
}
