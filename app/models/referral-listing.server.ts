// A store's referral events (the seeds' get_referrals_for_store_sync): filtered, newest first,
// keyset-paginated both ways, referred users anonymized.
import type { Prisma } from "@prisma/client";

import { db } from "~/db.server";
import { anonymizeUserId } from "~/lib/infra/keyed-hash.server";
import { isUuid } from "~/lib/infra/uuid.server";
import type { ReferralChannel, ReferralReview, ReferralStatus } from "~/models/referral-enums";
import { isSupportedTimestamp } from "~/schemas/primitives";

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
  /** Reason codes of the sign-up quality checks that flagged it (none for most). */
  flagReasons: string[];
  /** Null unless a check flagged it: under review, approved or rejected. */
  review: ReferralReview | null;
  /** Paid-ad click id parameter names on the link (a signal, not a flag). */
  adClickIds: string[];
}

export interface ReferralFilters {
  /**
   * A status reached, not the current one alone: "signed_up" includes the users who became active
   * since (every active user signed up), as the stats' total_signups counts them.
   */
  status?: ReferralStatus;
  channel?: ReferralChannel;
  /** Inclusive lower bound of createdAt (the click, the date every row shows first). */
  from?: Date;
  /** Exclusive upper bound of createdAt. */
  to?: Date;
  /** Only sign-ups a check flagged with one of these reason codes; `[]`: flagged for any reason. */
  flagReasons?: readonly string[];
}

export class InvalidCursorError extends Error {
  constructor() {
    super("The pagination cursor is not valid.");
    this.name = "InvalidCursorError";
  }
}

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
      // Only what encodeReferralCursor writes: a canonical ISO timestamp of a supported day
      // (year 0, -000001 or +275760 parse in JavaScript but reach PostgreSQL as an error).
      if (
        isSupportedTimestamp(createdAt) &&
        createdAt.toISOString() === iso &&
        typeof id === "string" &&
        isUuid(id)
      ) {
        return { createdAt, id };
      }
    }
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
}

/** The statuses an event may have once it has reached `status` (the funnel only moves forward). */
const STATUSES_REACHED: Record<ReferralStatus, ReferralStatus[]> = {
  clicked: ["clicked"],
  signed_up: ["signed_up", "active"],
  active: ["active"],
};

function referralWhere(storeId: number, filters: ReferralFilters): Prisma.StoreReferralWhereInput {
  return {
    storeId,
    status: filters.status ? { in: STATUSES_REACHED[filters.status] } : undefined,
    channel: filters.channel,
    createdAt: filters.from || filters.to ? { gte: filters.from, lt: filters.to } : undefined,
    ...(filters.flagReasons === undefined
      ? {}
      : filters.flagReasons.length === 0
        ? { review: { not: null } }
        : { review: { not: null }, flagReasons: { hasSome: [...filters.flagReasons] } }),
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
  if (!isUuid(referralId)) return null;
  const row = await db.prisma.storeReferral.findFirst({
    where: { id: referralId, storeId },
  });
  return row ? toReferralEvent(row) : null;
}

/**
 * Counts a store's referral events matching the filters (for table headers and exports); with
 * `newerThan`, only those listed before that event (newest first): its position on the list.
 */
export function countReferralsForStore({
  storeId,
  filters = {},
  newerThan,
}: {
  storeId: number;
  filters?: ReferralFilters;
  newerThan?: { createdAt: Date; id: string };
}) {
  const where = referralWhere(storeId, filters);
  return db.prisma.storeReferral.count({
    where: newerThan
      ? {
          AND: [
            where,
            {
              OR: [
                { createdAt: { gt: newerThan.createdAt } },
                { createdAt: newerThan.createdAt, id: { gt: newerThan.id } },
              ],
            },
          ],
        }
      : where,
  });
}

/** A StoreReferral row as a ReferralEvent (the user anonymized); also the webhook payload's. */
export function toReferralEvent(row: {
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
  flagReasons: string[] | null;
  review: ReferralReview | null;
  adClickIds: string[] | null;
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
    flagReasons: row.flagReasons ?? [],
    review: row.review,
    adClickIds: row.adClickIds ?? [],
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
