// The name a shopper is shown for a referral code (the landing page, the sign-up page, the
// welcome page): the active store's name, or null for anything else, so a page never shows a raw
// code or an error to a shopper.
import { logger } from "~/lib/infra/logger.server";
import { isStoreReferralCode } from "~/models/referral-code";
import { getActiveStoreNameByReferralCode } from "~/models/store.server";

/** The name of an active store's code, or null (unknown, inactive, unreadable). Never throws. */
export async function activeStoreNameOf(referralCode: string | null): Promise<string | null> {
  if (!isStoreReferralCode(referralCode)) return null;
  try {
    return await getActiveStoreNameByReferralCode({ referralCode });
  } catch (error) {
    logger.warn("landing.store_name_unavailable", { error });
    return null;
  }
}
