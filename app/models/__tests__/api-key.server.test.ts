import { createHash } from "node:crypto";

import { describe, expect, it } from "vitest";

import { db } from "~/db.server";
import {
  authenticateApiKey,
  createApiKey,
  listApiKeys,
  revokeApiKey,
} from "~/models/api-key.server";
import { changeStoreStatus } from "~/models/store.server";
import { createTestStore } from "~/test/builders";

describe("createApiKey", () => {
  it("returns the full key once and stores only its SHA-256 hash and a display prefix", async () => {
    // GIVEN a store
    const store = await createTestStore();
    // WHEN a key is created
    const { key, apiKey } = await createApiKey({
      storeId: store.id,
      name: "Warehouse dashboard",
      scopes: ["read"],
    });
    // THEN the key has 256 bits of base64url randomness and the caller never sees the hash
    expect(key).toMatch(/^sr_live_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({ name: "Warehouse dashboard", scopes: ["read"] });
    expect(apiKey.prefix).toBe(key.slice(0, 12));
    expect(apiKey).not.toHaveProperty("hashedKey");
    const row = await db.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(row.hashedKey).toBe(createHash("sha256").update(key).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(key);
  });

  it("gives every key a different value", async () => {
    const store = await createTestStore();
    const first = await createApiKey({ storeId: store.id, name: "a", scopes: ["read"] });
    const second = await createApiKey({ storeId: store.id, name: "a", scopes: ["read"] });
    expect(first.key).not.toBe(second.key);
  });
});

describe("listApiKeys", () => {
  it("lists only the store's own keys, newest first, without hashes", async () => {
    const store = await createTestStore();
    const other = await createTestStore();
    const older = await createApiKey({ storeId: store.id, name: "older", scopes: ["read"] });
    const newer = await createApiKey({ storeId: store.id, name: "newer", scopes: ["write"] });
    await createApiKey({ storeId: other.id, name: "not mine", scopes: ["read"] });

    const keys = await listApiKeys({ storeId: store.id });

    expect(keys.map((key) => key.id)).toEqual([newer.apiKey.id, older.apiKey.id]);
    expect(keys.every((key) => !("hashedKey" in key))).toBe(true);
  });
});

describe("revokeApiKey", () => {
  it("revokes the store's own key once", async () => {
    const store = await createTestStore();
    const { apiKey } = await createApiKey({ storeId: store.id, name: "k", scopes: ["read"] });
    expect(await revokeApiKey({ storeId: store.id, apiKeyId: apiKey.id })).toBe(true);
    expect(await revokeApiKey({ storeId: store.id, apiKeyId: apiKey.id })).toBe(false);
    const [listed] = await listApiKeys({ storeId: store.id });
    expect(listed?.revokedAt).toBeInstanceOf(Date);
  });

  it("never revokes another store's key", async () => {
    // GIVEN store B's key
    const storeA = await createTestStore();
    const storeB = await createTestStore();
    const { key, apiKey } = await createApiKey({
      storeId: storeB.id,
      name: "B's key",
      scopes: ["read"],
    });
    // WHEN store A tries to revoke it by id
    const revoked = await revokeApiKey({ storeId: storeA.id, apiKeyId: apiKey.id });
    // THEN nothing changes: the key still authenticates
    expect(revoked).toBe(false);
    expect(await authenticateApiKey(key)).toMatchObject({ apiKeyId: apiKey.id });
  });
});

describe("authenticateApiKey", () => {
  it("returns the key's id, store and scopes for a valid key", async () => {
    const store = await createTestStore();
    const { key, apiKey } = await createApiKey({
      storeId: store.id,
      name: "k",
      scopes: ["read", "write"],
    });
    expect(await authenticateApiKey(key)).toEqual({
      apiKeyId: apiKey.id,
      storeId: store.id,
      scopes: ["read", "write"],
      storeStatus: "active",
    });
  });

  it("returns null for malformed, unknown and revoked keys", async () => {
    const store = await createTestStore();
    const { key, apiKey } = await createApiKey({ storeId: store.id, name: "k", scopes: ["read"] });
    const unknown = `sr_live_${"A".repeat(43)}`;
    expect(await authenticateApiKey("")).toBeNull();
    expect(await authenticateApiKey("not-a-key")).toBeNull();
    expect(await authenticateApiKey(`${key}x`)).toBeNull();
    expect(await authenticateApiKey(unknown)).toBeNull();
    await revokeApiKey({ storeId: store.id, apiKeyId: apiKey.id });
    expect(await authenticateApiKey(key)).toBeNull();
  });

  it("reports the store's status, so that a suspended store's keys can be refused", async () => {
    const store = await createTestStore();
    const { key } = await createApiKey({ storeId: store.id, name: "k", scopes: ["read"] });
    await changeStoreStatus({
      shopDomain: store.shopDomain,
      to: "suspended",
      actor: "operator",
      reason: "test",
    });
    expect(await authenticateApiKey(key)).toMatchObject({ storeStatus: "suspended" });
  });

  it("records lastUsedAt at most once a minute", async () => {
    // GIVEN a new key, never used
    const store = await createTestStore();
    const { key, apiKey } = await createApiKey({ storeId: store.id, name: "k", scopes: ["read"] });
    const lastUsed = async () =>
      (await db.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt;
    const first = new Date("2026-11-21T10:00:00.000Z");
    // WHEN it is used, used again 30 s later, then 61 s after the first use
    await authenticateApiKey(key, { now: first });
    expect(await lastUsed()).toEqual(first);
    await authenticateApiKey(key, { now: new Date(first.getTime() + 30_000) });
    expect(await lastUsed()).toEqual(first);
    const later = new Date(first.getTime() + 61_000);
    await authenticateApiKey(key, { now: later });
    // THEN only the first and the third wrote
    expect(await lastUsed()).toEqual(later);
  });
});
