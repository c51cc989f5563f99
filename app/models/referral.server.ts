// Referral events: the seeds' record_referral_click_sync, record_referral_signup_sync and
// get_referrals_for_store_sync, plus activation. Each write updates the per-day rollup
// (StoreDailyStat) in the same statement, so counts and rows can never disagree.
import type { Prisma, ReferralChannel, ReferralStatus } from "@prisma/client";

import { db } from "~/db.server";
import { getEnv } from "~/env.server";
import { GroupCommitQueue } from "~/lib/group-commit.server";
import { anonymizeUserId } from "~/lib/keyed-hash.server";
import { timeOrderedUuid } from "~/lib/uuid.server";
import { defineCounter, defineGauge } from "~/lib/metrics.server";
import { isStoreReferralCode, validateReferralCode } from "~/models/referral-code";

export type { ReferralChannel, ReferralStatus };

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

const UNIQUE_VIOLATION = "23505";
const TODAY_UTC = `(now() AT TIME ZONE 'UTC')::date`;

// ---------------------------------------------------------------------------------------------
// Clicks

export interface ReferralClickInput {
  referralCode: string;
  sourceUrl?: string | null;
  utmParams?: Record<string, string> | null;
  /** Keyed hash of IP + user agent (see hashVisitor); clicks are counted once per visitor per hour. */
  visitorHash?: string | null;
  channel?: ReferralChannel;
}

export type ReferralClickResult =
  | {
      recorded: true;
      clickId: string;
      storeId: number;
      /** False when this visitor's click was already counted this hour (the same row is returned). */
      counted: boolean;
    }
  | {
      recorded: false;
      reason: "invalid_code" | "not_store_code" | "unknown_or_inactive_store";
    };

const clickMetrics = {
  recorded: defineCounter("referral_clicks_recorded_total", "Clicks written as new rows."),
  deduplicated: defineCounter(
    "referral_clicks_deduplicated_total",
    "Clicks of a visitor already counted for the store this hour.",
  ),
  // Clicks written per statement = (recorded + deduplicated) / batches: how well commits group.
  batches: defineCounter(
    "referral_click_batches_total",
    "Grouped click statements committed (each one transaction).",
  ),
};

interface ClickRow {
  input: number;
  id: string;
  storeId: number;
  inserted: boolean;
}

// The code is resolved to an active store inside the statement, so an uninstalled or suspended
// store stops counting at once (no cache to go stale) and an unknown code simply inserts nothing.
// The rows are matched back to their inputs with equality joins only (hash joins): a visitor's
// row by code and visitor hash (it may be an earlier row of the hour), a row without visitor hash
// by the id we gave it. An IS NOT DISTINCT FROM join here cost O(batch²) (decision 0010).
const RECORD_CLICKS_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::int[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
    AS t("input", "id", "referralCode", "visitorHash", "utmParams", "sourceUrl", "channel")
),
inserted AS (
  INSERT INTO "StoreReferral" ("id", "storeId", "referralCode", "status", "utmParams", "sourceUrl",
                               "channel", "visitorHash", "clickBucket", "createdAt")
  SELECT i."id", s."id", i."referralCode", 'clicked', i."utmParams"::jsonb, i."sourceUrl",
         i."channel"::"ReferralChannel", i."visitorHash", date_trunc('hour', now(), 'UTC'), now()
  FROM input i JOIN "Store" s ON s."referralCode" = i."referralCode" AND s."status" = 'active'
  ON CONFLICT ("storeId", "visitorHash", "clickBucket")
    DO UPDATE SET "visitorHash" = EXCLUDED."visitorHash"
  RETURNING "id", "storeId", "referralCode", "visitorHash", (xmax = 0) AS "inserted"
),
rollup AS (
  INSERT INTO "StoreDailyStat" ("storeId", "day", "clicks")
  SELECT "storeId", ${TODAY_UTC}, count(*) FROM inserted WHERE "inserted" GROUP BY "storeId"
  ON CONFLICT ("storeId", "day") DO UPDATE SET "clicks" = "StoreDailyStat"."clicks" + EXCLUDED."clicks"
)
SELECT i."input", r."id", r."storeId", r."inserted"
FROM inserted r
JOIN input i ON i."referralCode" = r."referralCode" AND i."visitorHash" = r."visitorHash"
UNION ALL
SELECT i."input", r."id", r."storeId", r."inserted"
FROM inserted r
JOIN input i ON i."id" = r."id"
WHERE r."visitorHash" IS NULL`;

async function writeClickBatch(items: ReferralClickInput[]): Promise<ReferralClickResult[]> {
  // Within one statement a row can be upserted once only: the same visitor's clicks on the same
  // code in one batch become one input row, and share its result.
  const inputIndexOfItem: number[] = [];
  const inputs: ReferralClickInput[] = [];
  const byVisitor = new Map<string, number>();
  items.forEach((item) => {
    const key = item.visitorHash ? `${item.referralCode}\u0000${item.visitorHash}` : null;
    const existing = key ? byVisitor.get(key) : undefined;
    if (existing !== undefined) {
      inputIndexOfItem.push(existing);
      return;
    }
    inputs.push(item);
    inputIndexOfItem.push(inputs.length - 1);
    if (key) byVisitor.set(key, inputs.length - 1);
  });

  const { rows } = await db.pool.query<ClickRow>({
    text: RECORD_CLICKS_SQL,
    values: [
      inputs.map((_, index) => index),
      inputs.map(() => timeOrderedUuid()),
      inputs.map((input) => input.referralCode),
      inputs.map((input) => input.visitorHash ?? null),
      inputs.map((input) => (input.utmParams ? JSON.stringify(input.utmParams) : null)),
      inputs.map((input) => input.sourceUrl ?? null),
      inputs.map((input) => input.channel ?? "link"),
    ],
  });

  clickMetrics.batches.increment();
  const resultOfInput = new Map<number, ReferralClickResult>();
  for (const row of rows) {
    resultOfInput.set(row.input, {
      recorded: true,
      clickId: row.id,
      storeId: row.storeId,
      counted: row.inserted,
    });
  }
  const counted = new Set<number>();
  return items.map((_, itemIndex) => {
    const inputIndex = inputIndexOfItem[itemIndex]!;
    const result = resultOfInput.get(inputIndex);
    if (!result || !result.recorded) {
      return { recorded: false, reason: "unknown_or_inactive_store" } as const;
    }
    // Only the first item of a merged group can have created the row.
    const isFirst = !counted.has(inputIndex);
    counted.add(inputIndex);
    const itemResult = { ...result, counted: result.counted && isFirst };
    if (itemResult.counted) clickMetrics.recorded.increment();
    else clickMetrics.deduplicated.increment();
    return itemResult;
  });
}

declare global {
  var __storeReferralsClickQueue:
    GroupCommitQueue<ReferralClickInput, ReferralClickResult> | undefined;
}

function clickQueue() {
  globalThis.__storeReferralsClickQueue ??= new GroupCommitQueue({
    write: writeClickBatch,
    maxBatchSize: 1000,
    maxPending: getEnv().CLICK_QUEUE_LIMIT,
    // One batch in flight: every batch updates the store's rollup row for the day, so concurrent
    // batches queued on each other's row lock; one at a time, the next batch grows instead and
    // costs less per click (docs/decisions/0010-performance-measured.md, with figures).
    maxConcurrentWrites: 1,
  });
  return globalThis.__storeReferralsClickQueue;
}

defineGauge("referral_click_queue_pending", "Clicks waiting to be written.", () =>
  globalThis.__storeReferralsClickQueue
    ? globalThis.__storeReferralsClickQueue.getStats().pending
    : 0,
);

/**
 * Records a click on a referral link. Unknown, inactive and non-store codes are not recorded
 * (no error). A visitor's clicks on one store count once per hour: later ones return the same
 * row. Resolves only once the row is committed; concurrent clicks share one statement.
 * Rejects (QueueFullError, DeadlineExceededError, database errors) when it cannot record: the
 * caller decides what the shopper sees, and must not wait forever (pass a deadline).
 */
export async function recordReferralClick(
  input: ReferralClickInput,
  { deadline }: { deadline?: number } = {},
): Promise<ReferralClickResult> {
  if (!validateReferralCode(input.referralCode)) return { recorded: false, reason: "invalid_code" };
  if (!isStoreReferralCode(input.referralCode))
    return { recorded: false, reason: "not_store_code" };
  return clickQueue().push(input, deadline);
}

/** Writes what is queued and refuses new clicks (graceful shutdown). */
export async function closeClickQueue() {
  const queue = globalThis.__storeReferralsClickQueue;
  globalThis.__storeReferralsClickQueue = undefined;
  await queue?.close();
}

export function getClickQueueStats() {
  return globalThis.__storeReferralsClickQueue?.getStats() ?? null;
}

// ---------------------------------------------------------------------------------------------
// Signups and activation

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
rollup AS (
  INSERT INTO "StoreDailyStat" ("storeId", "day", "signups")
  SELECT "storeId", ${TODAY_UTC}, 1 FROM attributed
  ON CONFLICT ("storeId", "day") DO UPDATE SET "signups" = "StoreDailyStat"."signups" + 1
)
SELECT "id", "storeId" FROM attributed`;

/**
 * Attributes a signed-up user to the store of a referral code, at most once per user: the
 * visitor's own unmatched click (clickId) becomes signed_up, otherwise a signed_up row is
 * created. Repeated or parallel calls leave exactly one row (unique index + ON CONFLICT).
 */
export async function recordReferralSignup({
  referralCode,
  userId,
  clickId = null,
}: {
  referralCode: string;
  userId: string;
  clickId?: string | null;
}): Promise<ReferralSignupResult> {
  const notAttributed = { attributed: false, storeId: null, referralId: null };
  if (!isStoreReferralCode(referralCode) || userId.length === 0) return notAttributed;
  const validClickId = clickId && UUID_PATTERN.test(clickId) ? clickId : null;
  try {
    const { rows } = await db.pool.query<{ id: string; storeId: number }>(RECORD_SIGNUP_SQL, [
      referralCode,
      userId,
      validClickId,
    ]);
    const row = rows[0];
    return row ? { attributed: true, storeId: row.storeId, referralId: row.id } : notAttributed;
  } catch (error) {
    // Two parallel calls that claimed two different clicks for one user: one of them won.
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) return notAttributed;
    throw error;
  }
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
rollup AS (
  INSERT INTO "StoreDailyStat" ("storeId", "day", "activations")
  SELECT "storeId", ${TODAY_UTC}, 1 FROM activated
  ON CONFLICT ("storeId", "day") DO UPDATE SET "activations" = "StoreDailyStat"."activations" + 1
)
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

// ---------------------------------------------------------------------------------------------
// Listing

export interface ReferralEvent {
  id: string;
  status: ReferralStatus;
  channel: ReferralChannel;
  referralCode: string;
  utmParams: Record<string, string> | null;
  sourceUrl: string | null;
  createdAt: Date;
  signedUpAt: Date | null;
  activatedAt: Date | null;
  /** An anonymous, stable label for the referred user (never the user id), or null before signup. */
  referredUser: string | null;
}

export interface ReferralFilters {
  status?: ReferralStatus;
  channel?: ReferralChannel;
  /** Inclusive lower bound of createdAt. */
  from?: Date;
  /** Exclusive upper bound of createdAt. */
  to?: Date;
}

export class InvalidCursorError extends Error {
  constructor() {
    super("The pagination cursor is not valid.");
    this.name = "InvalidCursorError";
  }
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeReferralCursor(event: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([event.createdAt.toISOString(), event.id])).toString(
    "base64url",
  );
}

export function decodeReferralCursor(cursor: string): {
  createdAt: Date;
  id: string;
} {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2) {
      const [iso, id] = value as [unknown, unknown];
      const createdAt = new Date(typeof iso === "string" ? iso : Number.NaN);
      if (!Number.isNaN(createdAt.getTime()) && typeof id === "string" && UUID_PATTERN.test(id)) {
        return { createdAt, id };
      }
    }
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
}

function referralWhere(storeId: number, filters: ReferralFilters): Prisma.StoreReferralWhereInput {
  return {
    storeId,
    status: filters.status,
    channel: filters.channel,
    createdAt: filters.from || filters.to ? { gte: filters.from, lt: filters.to } : undefined,
  };
}

/**
 * A store's referral events, newest first, referred users anonymized. Keyset pagination on
 * (createdAt, id): pages stay stable while new events arrive.
 */
export async function getReferralsForStore({
  storeId,
  limit = 50,
  cursor,
  filters = {},
}: {
  storeId: number;
  limit?: number;
  cursor?: string | null;
  filters?: ReferralFilters;
}): Promise<{ items: ReferralEvent[]; nextCursor: string | null }> {
  const take = Math.max(1, Math.min(limit, 500));
  const after = cursor ? decodeReferralCursor(cursor) : null;
  const where = referralWhere(storeId, filters);
  const rows = await db.prisma.storeReferral.findMany({
    where: after
      ? {
          AND: [
            where,
            {
              OR: [
                { createdAt: { lt: after.createdAt } },
                { createdAt: after.createdAt, id: { lt: after.id } },
              ],
            },
          ],
        }
      : where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: take + 1,
  });
  const page = rows.slice(0, take);
  const last = page[page.length - 1];
  return {
    items: page.map(toReferralEvent),
    nextCursor: rows.length > take && last ? encodeReferralCursor(last) : null,
  };
}

/** One referral event, anonymized; `storeId` limits it to that store's events. */
export async function getReferralEvent({
  referralId,
  storeId,
}: {
  referralId: string;
  storeId?: number;
}): Promise<ReferralEvent | null> {
  if (!UUID_PATTERN.test(referralId)) return null;
  const row = await db.prisma.storeReferral.findFirst({
    where: { id: referralId, storeId },
  });
  return row ? toReferralEvent(row) : null;
}

/** Counts a store's referral events matching the filters (for table headers and exports). */
export function countReferralsForStore({
  storeId,
  filters = {},
}: {
  storeId: number;
  filters?: ReferralFilters;
}) {
  return db.prisma.storeReferral.count({
    where: referralWhere(storeId, filters),
  });
}

function toReferralEvent(row: {
  id: string;
  status: ReferralStatus;
  channel: ReferralChannel;
  referralCode: string;
  utmParams: Prisma.JsonValue;
  sourceUrl: string | null;
  createdAt: Date;
  signedUpAt: Date | null;
  activatedAt: Date | null;
  referredUserId: string | null;
}): ReferralEvent {
  return {
    id: row.id,
    status: row.status,
    channel: row.channel,
    referralCode: row.referralCode,
    utmParams: isStringRecord(row.utmParams) ? row.utmParams : null,
    sourceUrl: row.sourceUrl,
    createdAt: row.createdAt,
    signedUpAt: row.signedUpAt,
    activatedAt: row.activatedAt,
    referredUser: row.referredUserId ? anonymizeUserId(row.referredUserId) : null,
  };
}

function isStringRecord(value: Prisma.JsonValue): value is Record<string, string> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((entry) => typeof entry === "string")
  );
}

/**
 * One page of a store's referral events for the admin table: keyset pagination both ways on
 * (createdAt, id), newest first. `after` is the cursor of the last row of the previous page (as
 * in getReferralsForStore), `before` that of the first row of the next page.
 */
export async function getReferralPageForStore({
  storeId,
  limit = 50,
  after,
  before,
  filters = {},
}: {
  storeId: number;
  limit?: number;
  after?: string | null;
  before?: string | null;
  filters?: ReferralFilters;
}): Promise<{ items: ReferralEvent[]; nextCursor: string | null; previousCursor: string | null }> {
  if (!before) {
    const page = await getReferralsForStore({ storeId, limit, cursor: after, filters });
    const first = page.items[0];
    return {
      items: page.items,
      nextCursor: page.nextCursor,
      previousCursor: after && first ? encodeReferralCursor(first) : null,
    };
  }
  const take = Math.max(1, Math.min(limit, 500));
  const anchor = decodeReferralCursor(before);
  // The rows just newer than the anchor, read oldest first, then put back newest first.
  const rows = await db.prisma.storeReferral.findMany({
    where: {
      AND: [
        referralWhere(storeId, filters),
        {
          OR: [
            { createdAt: { gt: anchor.createdAt } },
            { createdAt: anchor.createdAt, id: { gt: anchor.id } },
          ],
        },
      ],
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: take + 1,
  });
  const page = rows.slice(0, take).reverse();
  const first = page[0];
  const last = page[page.length - 1];
  return {
    items: page.map(toReferralEvent),
    nextCursor: last ? encodeReferralCursor(last) : null,
    previousCursor: rows.length > take && first ? encodeReferralCursor(first) : null,
  };
}

/** Every event matching the filters, newest first, read page by page (CSV export). */
export async function* iterateReferralsForStore({
  storeId,
  filters = {},
  pageSize = 500,
}: {
  storeId: number;
  filters?: ReferralFilters;
  pageSize?: number;
}): AsyncGenerator<ReferralEvent> {
  let cursor: string | null = null;
  do {
    const page = await getReferralsForStore({ storeId, limit: pageSize, cursor, filters });
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor);
}

export interface ReferredUser {
  /** Anonymous, stable label (never the user id). */
  referredUser: string;
  status: ReferralStatus;
  channel: ReferralChannel;
  signedUpAt: Date | null;
  activatedAt: Date | null;
}

/** A store's most recently signed-up referred users, anonymized (the seeds' referred_users). */
export async function getLatestReferredUsers({
  storeId,
  limit = 10,
}: {
  storeId: number;
  limit?: number;
}): Promise<ReferredUser[]> {
  const rows = await db.prisma.storeReferral.findMany({
    where: { storeId, referredUserId: { not: null } },
    orderBy: [{ signedUpAt: { sort: "desc", nulls: "last" } }, { id: "desc" }],
    take: Math.max(1, Math.min(limit, 100)),
  });
  return rows.map((row) => ({
    referredUser: anonymizeUserId(row.referredUserId!),
    status: row.status,
    channel: row.channel,
    signedUpAt: row.signedUpAt,
    activatedAt: row.activatedAt,
  }));
}
