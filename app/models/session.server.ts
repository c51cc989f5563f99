// Shopify sessions (offline and online access tokens), stored in PostgreSQL through Prisma.
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";

import { db } from "~/db.server";
import type { DatabaseClient } from "~/models/store.server";

export function createSessionStorage() {
  return new PrismaSessionStorage(db.prisma);
}

export function deleteSessionsForShop(
  { shopDomain }: { shopDomain: string },
  client: DatabaseClient = db.prisma,
) {
  return client.session.deleteMany({ where: { shop: shopDomain } });
}

/** Records the scopes Shopify granted (app/scopes_update), on every session of the shop. */
export function updateSessionScope(
  { shopDomain, scope }: { shopDomain: string; scope: string },
  client: DatabaseClient = db.prisma,
) {
  return client.session.updateMany({
    where: { shop: shopDomain },
    data: { scope },
  });
}

/**
 * Stores the offline session Shopify's token exchange would produce for a shop (id
 * `offline_<shop>`, as @shopify/shopify-api names it). Used by tests and the local demo.
 */
export async function storeOfflineSession({
  shopDomain,
  accessToken,
  scope,
}: {
  shopDomain: string;
  accessToken: string;
  scope: string;
}) {
  const session = new Session({
    id: `offline_${shopDomain}`,
    shop: shopDomain,
    state: "offline",
    isOnline: false,
    scope,
    accessToken,
  });
  await createSessionStorage().storeSession(session);
  return session;
}

/** True when the shop has an offline session (the app is installed for it in this database). */
export async function hasOfflineSession({ shopDomain }: { shopDomain: string }) {
  const session = await db.prisma.session.findFirst({
    where: { shop: shopDomain, isOnline: false },
    select: { id: true },
  });
  return session !== null;
}

/** The shop's sessions (tests and support). */
export function listSessionsForShop({ shopDomain }: { shopDomain: string }) {
  return db.prisma.session.findMany({ where: { shop: shopDomain } });
}
