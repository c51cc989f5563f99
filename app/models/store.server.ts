// Stores: one per Shopify shop. Every function is keyed by the shop domain (the authenticated
// shop), never by a bare id coming from a request.
import { randomBytes } from "node:crypto";

import type { Prisma, Store, StoreCategory, StoreStatus } from "@prisma/client";

import { db } from "~/db.server";
import { generateStoreReferralCode, slugify } from "~/models/referral-code";
import { enqueueWebhookEvents } from "~/models/webhook-delivery.server";
import {
  canTransitionStore,
  StoreStatusTransitionError,
  type StatusChangeActor,
} from "~/models/store-status";

export type { Store, StoreCategory, StoreStatus };

/** The Prisma client or an open transaction (webhook handlers run inside their delivery's). */
export type DatabaseClient = Prisma.TransactionClient;

const statusChangedData = `jsonb_build_object('from', src."previousStatus", 'to', src."status", 'reason', src."statusReason")`;

// $1 shop, $2 the status read, $3 the new one, $4 the reason. Conditional on the status read.
const CHANGE_STATUS_SQL = `
WITH changed AS (
  UPDATE "Store" SET "status" = $3::"StoreStatus", "statusReason" = $4, "updatedAt" = now(),
         "uninstalledAt" = CASE $3 WHEN 'deactivated' THEN now() WHEN 'active' THEN NULL ELSE "uninstalledAt" END
   WHERE "shopDomain" = $1 AND "status" = $2::"StoreStatus"
  RETURNING "id" AS "storeId", "status", "statusReason", $2::text AS "previousStatus"
),
${enqueueWebhookEvents("store.status_changed", "changed", { data: statusChangedData })}
SELECT "storeId" AS "id" FROM changed`;

const MAX_CODE_ATTEMPTS = 12;
const NUMBERED_SLUG_ATTEMPTS = 5;

export interface EnsureStoreResult {
  store: Store;
  /** True only for the call that created the store (fires STORE_REGISTERED). */
  created: boolean;
}

/**
 * What a store keeps of its owner's e-mail addresses for the self-referral check: keyed hashes,
 * and the domains that are not public mail providers (lib/signup/checks/self-referral.server.ts).
 */
export interface OwnerEmailFingerprint {
  emailHashes: string[];
  emailDomains: string[];
}

/**
 * Creates the shop's store on first install (active, with a fresh unique referral code) and
 * on later calls updates its name and owner e-mail fingerprint. A reinstall reactivates a deactivated store
 * with the SAME code, so printed signage keeps working; a suspension is never lifted here.
 * Never check-then-insert: INSERT … ON CONFLICT DO NOTHING, so parallel installs make one store.
 */
export async function ensureStoreForShop({
  shopDomain,
  name,
  ownerFingerprint,
  timeZone = null,
}: {
  shopDomain: string;
  name: string;
  /** Null or absent when Shopify could not be read: the stored one is kept. */
  ownerFingerprint?: OwnerEmailFingerprint | null;
  /** The shop's IANA zone, already checked (isSupportedTimeZone); null keeps the stored one. */
  timeZone?: string | null;
}): Promise<EnsureStoreResult> {
  const hashes = ownerFingerprint?.emailHashes ?? null;
  const domains = ownerFingerprint?.emailDomains ?? null;
  const displayName = name.trim() || shopHandle(shopDomain);
  const baseSlug = slugify(displayName);
  for (let attempt = 0; attempt < MAX_CODE_ATTEMPTS; attempt++) {
    // Without a conflict target, DO NOTHING covers every unique index: the shop already has a
    // store (then the UPDATE below applies), or the slug or code is taken (then try the next).
    const inserted = await db.pool.query<Store>(
      `INSERT INTO "Store" ("shopDomain", "name", "slug", "referralCode", "status",
                            "ownerEmailHashes", "ownerEmailDomains", "timeZone", "timeZoneReadAt",
                            "createdAt", "updatedAt")
       VALUES ($1, $2, $3, $4, 'active', coalesce($5::text[], '{}'), coalesce($6::text[], '{}'),
               coalesce($7::text, 'UTC'), CASE WHEN $7::text IS NOT NULL THEN now() END, now(), now())
       ON CONFLICT DO NOTHING
       RETURNING *`,
      [
        shopDomain,
        displayName,
        candidateSlug(baseSlug, attempt),
        generateStoreReferralCode(baseSlug),
        hashes,
        domains,
        timeZone,
      ],
    );
    if (inserted.rows[0]) return { store: inserted.rows[0], created: true };
    // A reactivation writes its store.status_changed event (the outbox) in the same statement.
    const updated = await db.pool.query<Store & { previousStatus: StoreStatus }>(
      `WITH before AS (
         SELECT "id", "status" FROM "Store" WHERE "shopDomain" = $1 FOR UPDATE
       ),
       updated AS (
         UPDATE "Store" s SET
           "name" = $2,
           "ownerEmailHashes" = COALESCE($3::text[], s."ownerEmailHashes"),
           "ownerEmailDomains" = COALESCE($4::text[], s."ownerEmailDomains"),
           "status" = CASE WHEN s."status" IN ('pending', 'deactivated') THEN 'active'::"StoreStatus" ELSE s."status" END,
           -- The shop has the app installed again (a suspended store stays suspended).
           "uninstalledAt" = NULL,
           ${timeZoneChange("$5", "now()")},
           "updatedAt" = now()
         FROM before WHERE s."id" = before."id"
         RETURNING s.*, before."status" AS "previousStatus"
       ),
       reactivated AS (
         SELECT "id" AS "storeId", "status", "statusReason", "previousStatus" FROM updated
          WHERE "status" <> "previousStatus"
       ),
       ${enqueueWebhookEvents("store.status_changed", "reactivated", { data: statusChangedData })}
       SELECT * FROM updated`,
      [shopDomain, displayName, hashes, domains, timeZone],
    );
    const row = updated.rows[0];
    if (row) {
      const { previousStatus: _previous, ...store } = row;
      return { store, created: false };
    }
  }
  throw new Error(`Could not find a free referral code for ${shopDomain}`);
}

// A new zone (`$ZONE`, null: unchanged) replaces the store's, and the change is recorded: days
// counted before stay in the old zone's days (docs/decisions/0018-shop-time-zone-and-breakdowns.md).
// `$READ_AT` is when Shopify's answer was true (now() for a read of the Admin API). Every
// right-hand side reads the row as it was before the UPDATE.
const TIME_ZONE_CHANGE = `
  "previousTimeZone" = CASE WHEN $ZONE::text <> "timeZone" THEN "timeZone" ELSE "previousTimeZone" END,
  "timeZoneChangedAt" = CASE WHEN $ZONE::text <> "timeZone" THEN now() ELSE "timeZoneChangedAt" END,
  "timeZone" = coalesce($ZONE::text, "timeZone"),
  "timeZoneReadAt" = CASE WHEN $ZONE::text IS NOT NULL THEN $READ_AT ELSE "timeZoneReadAt" END`;

function timeZoneChange(zone: string, readAt: string): string {
  return TIME_ZONE_CHANGE.replaceAll("$ZONE", zone).replaceAll("$READ_AT", readAt);
}

/**
 * Sets the shop's zone (Shopify's shop/update), recording the change. `timeZone` is already
 * checked (isSupportedTimeZone). `asOf` is when the shop was updated (the payload's
 * `updated_at`): a delivery older than what the store already knows (a later delivery, or the
 * install's own read) changes nothing, since Shopify does not deliver in order. Null when the
 * shop has no store; `changed` false when the zone was already this one or the delivery was stale.
 */
export async function setStoreTimeZone(
  {
    shopDomain,
    timeZone,
    asOf = null,
  }: { shopDomain: string; timeZone: string; asOf?: Date | null },
  client: DatabaseClient = db.prisma,
): Promise<{ changed: boolean; stale: boolean; previousTimeZone: string } | null> {
  const rows = await client.$queryRawUnsafe<{ previous: string; applied: boolean }[]>(
    `WITH before AS (
       SELECT "id", "timeZone" AS "oldZone", "timeZoneReadAt" AS "readAt"
         FROM "Store" WHERE "shopDomain" = $1 FOR UPDATE
     ),
     changed AS (
       UPDATE "Store" s SET ${timeZoneChange("$2", "coalesce($3::timestamptz, now())")}, "updatedAt" = now()
         FROM before
        WHERE s."id" = before."id"
          AND ($3::timestamptz IS NULL OR before."readAt" IS NULL OR $3::timestamptz > before."readAt")
       RETURNING s."id"
     )
     SELECT "oldZone" AS "previous", EXISTS (SELECT 1 FROM changed) AS "applied" FROM before`,
    shopDomain,
    timeZone,
    asOf,
  );
  const row = rows[0];
  if (!row) return null;
  return {
    changed: row.applied && row.previous !== timeZone,
    stale: !row.applied,
    previousTimeZone: row.previous,
  };
}

export function getStoreByShop({ shopDomain }: { shopDomain: string }) {
  return db.prisma.store.findUnique({ where: { shopDomain } });
}

/** The active store a referral code belongs to, or null (unknown, inactive or not a store code). */
export function getActiveStoreByReferralCode({ referralCode }: { referralCode: string }) {
  return db.prisma.store.findFirst({
    where: { referralCode, status: "active" },
  });
}

/**
 * The name of the active store a referral code belongs to, or null: what the landing page shows.
 * One indexed lookup in SQL (it runs beside the click on a shopper's first page view).
 */
export async function getActiveStoreNameByReferralCode({
  referralCode,
}: {
  referralCode: string;
}): Promise<string | null> {
  const { rows } = await db.pool.query<{ name: string }>(
    `SELECT "name" FROM "Store" WHERE "referralCode" = $1 AND "status" = 'active'`,
    [referralCode],
  );
  return rows[0]?.name ?? null;
}

export async function updateStoreSettings({
  shopDomain,
  name,
  category,
}: {
  shopDomain: string;
  name: string;
  category: StoreCategory;
}) {
  return db.prisma.store.update({
    where: { shopDomain },
    data: { name, category },
  });
}

/**
 * Moves a store to another status if the lifecycle allows it for this actor. The update is
 * conditional on the status read, so two concurrent changes cannot both apply.
 */
export async function changeStoreStatus(
  {
    shopDomain,
    to,
    actor,
    reason = null,
  }: {
    shopDomain: string;
    to: StoreStatus;
    actor: StatusChangeActor;
    reason?: string | null;
  },
  client: DatabaseClient = db.prisma,
): Promise<Store> {
  const store = await client.store.findUniqueOrThrow({
    where: { shopDomain },
  });
  if (!canTransitionStore(store.status, to, actor)) {
    throw new StoreStatusTransitionError(store.status, to, actor);
  }
  // The change and its store.status_changed event (the outbox) in one statement.
  const changed = await client.$queryRawUnsafe<Array<{ id: number }>>(
    CHANGE_STATUS_SQL,
    shopDomain,
    store.status,
    to,
    to === "suspended" ? reason : null,
  );
  if (changed.length === 0) return changeStoreStatus({ shopDomain, to, actor, reason }, client);
  return client.store.findUniqueOrThrow({ where: { shopDomain } });
}

/**
 * The shop uninstalled the app: an active store becomes deactivated (its code stops attributing;
 * links still redirect). A store the uninstall cannot move (suspended: only an operator lifts a
 * suspension) keeps its status and only records `uninstalledAt`. Null when the shop has no store.
 */
export async function markStoreUninstalled(
  { shopDomain }: { shopDomain: string },
  client: DatabaseClient = db.prisma,
): Promise<Store | null> {
  const store = await client.store.findUnique({ where: { shopDomain } });
  if (!store) return null;
  if (canTransitionStore(store.status, "deactivated", "uninstall")) {
    return changeStoreStatus({ shopDomain, to: "deactivated", actor: "uninstall" }, client);
  }
  return client.store.update({
    where: { shopDomain },
    data: { uninstalledAt: new Date() },
  });
}

export interface DeletedShopData {
  stores: number;
  sessions: number;
  webhookDeliveries: number;
}

/**
 * Erases every row of a shop (Shopify's shop/redact): its store with, by cascade, its referral
 * events, daily stats and API keys; its sessions; its recorded webhook deliveries except
 * `keepDeliveryId` (the redact request itself), which is kept without the shop's domain so that
 * a replay of it stays a no-op (docs/decisions/0006-shopify-install.md). Run it in a transaction.
 */
export async function deleteShopData(
  { shopDomain, keepDeliveryId }: { shopDomain: string; keepDeliveryId?: string },
  client: DatabaseClient,
): Promise<DeletedShopData> {
  const stores = await client.store.deleteMany({ where: { shopDomain } });
  const sessions = await client.session.deleteMany({ where: { shop: shopDomain } });
  const deliveries = await client.inboundWebhookDelivery.deleteMany({
    where: {
      shopDomain,
      ...(keepDeliveryId ? { NOT: { source: "shopify", deliveryId: keepDeliveryId } } : {}),
    },
  });
  if (keepDeliveryId) {
    await client.inboundWebhookDelivery.updateMany({
      where: { source: "shopify", deliveryId: keepDeliveryId },
      data: { shopDomain: null },
    });
  }
  return { stores: stores.count, sessions: sessions.count, webhookDeliveries: deliveries.count };
}

/** Every store, oldest first (the operator command's list). */
export function listStores({ status }: { status?: StoreStatus } = {}) {
  return db.prisma.store.findMany({
    where: { status },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
}

/** chen-wellness, then chen-wellness-2 … -5, then a random suffix (many shops share a name). */
function candidateSlug(baseSlug: string, attempt: number) {
  if (attempt === 0) return baseSlug;
  const suffix =
    attempt < NUMBERED_SLUG_ATTEMPTS ? String(attempt + 1) : randomBytes(3).toString("hex");
  return `${baseSlug.slice(0, 40)}-${suffix}`;
}

function shopHandle(shopDomain: string) {
  return shopDomain.replace(/\.myshopify\.com$/i, "");
}
