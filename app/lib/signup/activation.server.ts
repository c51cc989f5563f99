// Activation: a referred user becomes active (Syntropy's activation call, or a store's own
// system through the Integration API). Repeating it changes nothing and fires no second event.
import { trackStoreReferralActivated } from "~/lib/analytics/events.server";
import { getReferralEvent, type ReferralEvent } from "~/models/referral-listing.server";
import { markReferralActive } from "~/models/referral-signups.server";

export type ReferredUserActivation =
  { outcome: "activated" | "already_active"; referral: ReferralEvent } | { outcome: "not_found" };

/**
 * Marks the referred user active and fires STORE_REFERRAL_ACTIVATED for the call that did it.
 * `storeId` limits it to one store's users (an Integration API key acts for its own store only).
 */
export async function activateReferredUser({
  userId,
  storeId,
}: {
  userId: string;
  storeId?: number;
}): Promise<ReferredUserActivation> {
  const result = await markReferralActive({ userId, storeId });
  if (result.outcome === "not_found") return result;
  const referral = await getReferralEvent({
    referralId: result.referralId,
    storeId: result.storeId,
  });
  if (!referral) throw new Error(`Referral ${result.referralId} vanished after activation.`);
  if (result.outcome === "activated") {
    trackStoreReferralActivated({
      userId,
      referralCode: referral.referralCode,
      storeId: result.storeId,
    });
  }
  return { outcome: result.outcome, referral };
}
