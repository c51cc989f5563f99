// Integration API keys. The full key is returned once, at creation; only its SHA-256 hash and a
// short display prefix are stored, so a database leak does not leak usable keys. Every
// function that manages keys is scoped to a store.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

import type { ApiKey, StoreStatus } from "@prisma/client";

import { db } from "~/db.server";
import { API_SCOPES, type ApiScope } from "~/schemas/api-key-constants";

/** read: analytics and referrals; write: activation. */
export const API_KEY_SCOPES = API_SCOPES;
export type ApiKeyScope = ApiScope;

/** `sr_live_` + 32 random bytes in base64url (43 characters): 256 bits of entropy. */
const KEY_PREFIX = "sr_live_";
const KEY_RANDOM_BYTES = 32;
const KEY_PATTERN = /^sr_live_[A-Za-z0-9_-]{43}$/;
/** Characters kept for display: the scheme plus 4 random characters, e.g. `sr_live_Xk3f`. */
const DISPLAY_PREFIX_LENGTH = KEY_PREFIX.length + 4;
/** lastUsedAt is a hint for the merchant, not an audit log: written at most this often. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** What callers may see of a key: never the hash. */
export interface ApiKeySummary {
  id: string;
  storeId: number;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface AuthenticatedApiKey {
  apiKeyId: string;
  storeId: number;
  scopes: ApiKeyScope[];
  storeStatus: StoreStatus;
}

export function isApiKeyFormat(value: string): boolean {
  return KEY_PATTERN.test(value);
}

function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

function knownScopes(scopes: string[]): ApiKeyScope[] {
  return scopes.filter((scope): scope is ApiKeyScope =>
    (API_KEY_SCOPES as readonly string[]).includes(scope),
  );
}

function toSummary(row: ApiKey): ApiKeySummary {
  return {
    id: row.id,
    storeId: row.storeId,
    name: row.name,
    prefix: row.prefix,
    scopes: knownScopes(row.scopes),
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}

/** Creates a key for the store. The returned `key` is the only copy: it cannot be read again. */
export async function createApiKey({
  storeId,
  name,
  scopes,
}: {
  storeId: number;
  name: string;
  scopes: readonly ApiKeyScope[];
}): Promise<{ key: string; apiKey: ApiKeySummary }> {
  const key = `${KEY_PREFIX}${randomBytes(KEY_RANDOM_BYTES).toString("base64url")}`;
  const row = await db.prisma.apiKey.create({
    data: {
      storeId,
      name,
      prefix: key.slice(0, DISPLAY_PREFIX_LENGTH),
      hashedKey: hashApiKey(key),
      scopes: [...new Set(scopes)],
    },
  });
  return { key, apiKey: toSummary(row) };
}

/** The store's keys, newest first, revoked ones included (the admin shows them as revoked). */
export async function listApiKeys({ storeId }: { storeId: number }): Promise<ApiKeySummary[]> {
  const rows = await db.prisma.apiKey.findMany({
    where: { storeId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  return rows.map(toSummary);
}

/**
 * Revokes one of the store's keys. Returns false when the store has no such active key
 * (another store's key, an unknown id, or already revoked): nothing changes then.
 */
export async function revokeApiKey({
  storeId,
  apiKeyId,
}: {
  storeId: number;
  apiKeyId: string;
}): Promise<boolean> {
  const { count } = await db.prisma.apiKey.updateMany({
    where: { id: apiKeyId, storeId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count === 1;
}

// Every Integration API request runs this: one SQL statement (Prisma's query compilation cost
// about 0.7 ms of CPU per request here; docs/decisions/0010-performance-measured.md).
const AUTHENTICATE_SQL = `
SELECT k."id", k."storeId", k."hashedKey", k."scopes", k."lastUsedAt", k."revokedAt",
       s."status" AS "storeStatus"
  FROM "ApiKey" k JOIN "Store" s ON s."id" = k."storeId"
 WHERE k."hashedKey" = $1`;

/**
 * The key behind a presented bearer token, or null when it is malformed, unknown or revoked.
 * The lookup goes through the unique index on the hash; the hashes are then compared in
 * constant time so that the comparison itself reveals nothing about a near match.
 */
export async function authenticateApiKey(
  presentedKey: string,
  { now = new Date() }: { now?: Date } = {},
): Promise<AuthenticatedApiKey | null> {
  if (!isApiKeyFormat(presentedKey)) return null;
  const presentedHash = hashApiKey(presentedKey);
  const { rows } = await db.pool.query<{
    id: string;
    storeId: number;
    hashedKey: string;
    scopes: string[];
    lastUsedAt: Date | null;
    revokedAt: Date | null;
    storeStatus: StoreStatus;
  }>(AUTHENTICATE_SQL, [presentedHash]);
  const row = rows[0];
  if (!row) return null;
  const matches = timingSafeEqual(
    Buffer.from(row.hashedKey, "hex"),
    Buffer.from(presentedHash, "hex"),
  );
  if (!matches || row.revokedAt) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await touchApiKey(row.id, now);
  }
  return {
    apiKeyId: row.id,
    storeId: row.storeId,
    scopes: knownScopes(row.scopes),
    storeStatus: row.storeStatus,
  };
}

// Conditional, so that many instances (or parallel requests) seeing a stale value write once.
async function touchApiKey(apiKeyId: string, now: Date) {
  await db.prisma.apiKey.updateMany({
    where: {
      id: apiKeyId,
      OR: [
        { lastUsedAt: null },
        { lastUsedAt: { lte: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) } },
      ],
    },
    data: { lastUsedAt: now },
  });
}
