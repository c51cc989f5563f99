// What `npm run demo` prepares before serving (development only): the demo store and its
// history, the Shopify session the local admin preview needs, and an Integration API key whose
// full value is kept in the data folder so a re-run can print it again.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { getEnv } from "~/env.server";
import { ownerEmailFingerprint } from "~/lib/signup/checks/self-referral.server";
import { authenticateApiKey, createApiKey } from "~/models/api-key.server";
import {
  DEMO_NEW_SHOP_DOMAIN,
  DEMO_NEW_STORE_NAME,
  DEMO_SHOP_DOMAIN,
  seedDemoData,
} from "~/demo/models/demo-store.server";
import { buildReferralLink } from "~/models/referral-code";
import { storeOfflineSession } from "~/models/session.server";
import { DEFAULT_STAND_IN_TIME_ZONE } from "~/demo/admin/admin-api-stand-in";
import { ensureStoreForShop } from "~/models/store.server";

export interface DemoInfo {
  shopDomain: string;
  storeId: number;
  /** The second demo shop: installed, no referrals yet. */
  newShopDomain: string;
  referralCode: string;
  referralLink: string;
  apiKey: string;
  seeded: boolean;
  referralRows: number;
}

const DEMO_ACCESS_TOKEN = "demo-offline-access-token";

function readKeptKey(file: string): string | null {
  try {
    const { apiKey } = JSON.parse(readFileSync(file, "utf8")) as { apiKey?: unknown };
    return typeof apiKey === "string" ? apiKey : null;
  } catch {
    return null;
  }
}

export async function prepareDemo({
  dataDir,
  onProgress,
}: {
  dataDir: string;
  onProgress?: (progress: { written: number; total: number }) => void;
}): Promise<DemoInfo> {
  const env = getEnv();
  if (!env.demoFeaturesEnabled) throw new Error("The demo is not available in production.");
  const seed = await seedDemoData({ siteUrl: env.PUBLIC_SITE_URL, onProgress });
  await ensureStoreForShop({
    shopDomain: DEMO_NEW_SHOP_DOMAIN,
    name: DEMO_NEW_STORE_NAME,
    ownerFingerprint: ownerEmailFingerprint(["owner@green-leaf.example"]),
    // As an install records it (the stand-in's zone): the admin does not repair the store then.
    timeZone: DEFAULT_STAND_IN_TIME_ZONE,
  });
  // The local admin preview authenticates like Shopify's admin would: an offline session exists.
  for (const shopDomain of [DEMO_SHOP_DOMAIN, DEMO_NEW_SHOP_DOMAIN]) {
    await storeOfflineSession({ shopDomain, accessToken: DEMO_ACCESS_TOKEN, scope: env.SCOPES });
  }

  const keyFile = path.join(dataDir, "demo-api-key.json");
  let apiKey = readKeptKey(keyFile);
  const known = apiKey ? await authenticateApiKey(apiKey) : null;
  if (!apiKey || !known || known.storeId !== seed.storeId) {
    apiKey = (
      await createApiKey({ storeId: seed.storeId, name: "Demo key", scopes: ["read", "write"] })
    ).key;
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(keyFile, `${JSON.stringify({ apiKey }, null, 2)}\n`, { mode: 0o600 });
  }
  return {
    shopDomain: seed.shopDomain,
    storeId: seed.storeId,
    newShopDomain: DEMO_NEW_SHOP_DOMAIN,
    referralCode: seed.referralCode,
    referralLink: buildReferralLink(env.PUBLIC_SITE_URL, seed.referralCode),
    apiKey,
    seeded: seed.seeded,
    referralRows: seed.referralRows,
  };
}
