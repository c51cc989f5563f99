// Builders for test data, always through the app's own model functions.
import { randomBytes } from "node:crypto";

import { ownerEmailFingerprint } from "~/lib/signup/checks/self-referral.server";
import { recordReferralClick } from "~/models/referral-clicks.server";
import { markReferralActive, recordReferralSignup } from "~/models/referral-signups.server";
import { ensureStoreForShop } from "~/models/store.server";

export function uniqueShopDomain(prefix = "shop") {
  return `${prefix}-${randomBytes(4).toString("hex")}.myshopify.com`;
}

export async function createTestStore({
  name = `Chen Wellness ${randomBytes(2).toString("hex")}`,
  shopDomain = uniqueShopDomain(),
  ownerEmail = "owner@example.com",
  timeZone = "UTC",
}: { name?: string; shopDomain?: string; ownerEmail?: string; timeZone?: string } = {}) {
  // Registered as an install does: with the owner's fingerprint and the shop's zone.
  const { store } = await ensureStoreForShop({
    shopDomain,
    name,
    ownerFingerprint: ownerEmailFingerprint([ownerEmail]),
    timeZone,
  });
  return store;
}

export function uniqueVisitor() {
  return randomBytes(16).toString("base64url");
}

export function uniqueUserId() {
  return `user_${randomBytes(12).toString("hex")}`;
}

/**
 * Records referral activity for a store through the model functions: `clicks` clicks by distinct
 * visitors, the first `signups` of which sign up (distinct users), the first `activations` of
 * those marked active. Returns the referred users' ids.
 */
export async function recordReferralActivity({
  referralCode,
  clicks,
  signups = 0,
  activations = 0,
}: {
  referralCode: string;
  clicks: number;
  signups?: number;
  activations?: number;
}) {
  const userIds: string[] = [];
  for (let index = 0; index < clicks; index++) {
    const click = await recordReferralClick({ referralCode, visitorHash: uniqueVisitor() });
    if (index >= signups) continue;
    const userId = uniqueUserId();
    await recordReferralSignup({
      referralCode,
      userId,
      clickId: click.recorded ? click.clickId : null,
    });
    if (index < activations) await markReferralActive({ userId });
    userIds.push(userId);
  }
  return { userIds };
}
