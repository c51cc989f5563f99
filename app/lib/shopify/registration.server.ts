// Registering a shop as a partner store: on install (shopify.server.ts afterAuth) and, should the
// install have failed half-way, from the admin layout loader. Safe to repeat and to run in parallel.
import type { AdminGraphqlClient } from "@shopify/shopify-app-remix/server";

import { getEnv } from "~/env.server";
import { trackStoreRegistered } from "~/lib/analytics/events.server";
import { logger } from "~/lib/infra/logger.server";
import { storefrontReferralLink } from "~/lib/referral-links/links";
import { ownerEmailFingerprint } from "~/lib/signup/checks/self-referral.server";
import {
  publishReferralLinkMetafields,
  readShopRegistrationDetails,
  type ShopRegistrationDetails,
} from "~/lib/shopify/admin-graphql.server";
import { ensureStoreForShop, getStoreByShop, type EnsureStoreResult } from "~/models/store.server";
import { isSupportedTimeZone } from "~/models/time-zone.server";

export interface ShopRegistration extends EnsureStoreResult {
  /** False when the storefront block's metafield could not be written (logged; retried from Settings). */
  storefrontLinkPublished: boolean;
}

/**
 * Reads the shop's name and e-mail, makes sure its store exists (fires STORE_REGISTERED only when
 * it was created) and publishes the code and storefront link to the app-data metafields the
 * storefront block reads. Only the store is essential: when Shopify cannot be read the store is
 * named after the shop's handle, and a failed metafield write is logged, never thrown.
 */
export async function registerShop({
  shopDomain,
  graphql,
}: {
  shopDomain: string;
  graphql: AdminGraphqlClient;
}): Promise<ShopRegistration> {
  let details: ShopRegistrationDetails | null = null;
  try {
    details = await readShopRegistrationDetails(graphql);
  } catch (error) {
    logger.warn("shop_registration.shop_read_failed", { shopDomain, error: describe(error) });
  }

  // Without Shopify's answer a known store keeps its name; a new one is named after the handle.
  const name = details?.name ?? (await getStoreByShop({ shopDomain }))?.name ?? "";
  // The owner's addresses are not stored: only what the self-referral check needs.
  const ownerFingerprint = details ? ownerEmailFingerprint(details.ownerEmails) : null;
  const timeZone = details ? await checkedShopTimeZone(shopDomain, details.ianaTimezone) : null;
  const result = await ensureStoreForShop({ shopDomain, name, ownerFingerprint, timeZone });
  if (result.created) {
    trackStoreRegistered({
      shopDomain,
      storeId: result.store.id,
      referralCode: result.store.referralCode,
    });
    logger.info("store.registered", { shopDomain, storeId: result.store.id });
  }

  const storefrontLinkPublished = details
    ? await publishStorefrontLink({
        shopDomain,
        graphql,
        appInstallationId: details.appInstallationId,
        referralCode: result.store.referralCode,
      })
    : false;
  return { ...result, storefrontLinkPublished };
}

/** Writes the store's code and storefront link to the app-data metafields; false (logged) on failure. */
export async function publishStorefrontLink({
  shopDomain,
  graphql,
  appInstallationId,
  referralCode,
}: {
  shopDomain: string;
  graphql: AdminGraphqlClient;
  appInstallationId: string;
  referralCode: string;
}): Promise<boolean> {
  try {
    await publishReferralLinkMetafields(graphql, {
      appInstallationId,
      referralCode,
      referralLink: storefrontReferralLink(getEnv().SHOPIFY_APP_URL, referralCode),
    });
    return true;
  } catch (error) {
    logger.error("shop_registration.metafield_write_failed", {
      shopDomain,
      error: describe(error),
    });
    return false;
  }
}

/**
 * Shopify's zone for the shop when the app can use it (a name Intl and PostgreSQL both know),
 * otherwise null (the store keeps its zone, UTC for a new one) and a warning: a zone the app
 * cannot read must not fail the install nor a webhook.
 */
export async function checkedShopTimeZone(
  shopDomain: string,
  ianaTimezone: string,
): Promise<string | null> {
  if (await isSupportedTimeZone(ianaTimezone)) return ianaTimezone;
  logger.warn("shop_time_zone.unsupported", {
    shopDomain,
    timeZone: JSON.stringify(ianaTimezone.slice(0, 80)),
  });
  return null;
}

// The Admin client throws Responses (HTTP errors) as well as Errors.
function describe(error: unknown) {
  if (error instanceof Response) return new Error(`Admin API answered ${error.status}`);
  return error;
}

/**
 * The shop's store, for the admin pages. A shop that is in its admin has the app installed, so a
 * missing store (the install failed half-way) or a deactivated one (an uninstall webhook that
 * arrived after the reinstall) is registered again: same code, never lifting a suspension.
 */
export async function ensureRegisteredStore({
  shopDomain,
  graphql,
}: {
  shopDomain: string;
  graphql: AdminGraphqlClient;
}) {
  const store = await getStoreByShop({ shopDomain });
  // A store registered before the owner's e-mail fingerprint existed (issue 14), or before the
  // app read the shop's time zone (issue 11), gets it now.
  const needsOwnerFingerprint = store?.status === "active" && store.ownerEmailHashes.length === 0;
  const needsTimeZone = store?.status === "active" && store.timeZoneReadAt === null;
  if (store && store.status !== "deactivated" && !needsOwnerFingerprint && !needsTimeZone) {
    return store;
  }
  const missing = [
    ...(needsOwnerFingerprint ? ["owner_email_fingerprint"] : []),
    ...(needsTimeZone ? ["time_zone"] : []),
  ];
  logger.warn("shop_registration.repair", {
    shopDomain,
    status: store?.status ?? "missing",
    ...(missing.length ? { missing: missing.join(",") } : {}),
  });
  try {
    return (await registerShop({ shopDomain, graphql })).store;
  } catch (error) {
    // A deactivated store is still shown (with what to do), rather than an error page.
    if (!store) throw error;
    logger.error("shop_registration.repair_failed", { shopDomain, error });
    return store;
  }
}
