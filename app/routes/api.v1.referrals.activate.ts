// POST /api/v1/referrals/activate { "user_id": "…" }: marks a referred user active.
// A store API key (scope write) acts on its own store's users only; Syntropy's activation
// secret on any user. Repeating it changes nothing and fires no second event.
import { captureEvent, AnalyticsEvent } from "~/lib/analytics/posthog.server";
import { ApiError } from "~/lib/integration-api/errors.server";
import { apiRoute } from "~/lib/integration-api/route.server";
import { getReferralEvent } from "~/models/referral-listing.server";
import { markReferralActive } from "~/models/referral-signups.server";
import { apiOperations, toApiReferralEvent } from "~/schemas/api-v1";

export const { loader, action } = apiRoute(
  apiOperations.activateReferral,
  async ({ principal, body }) => {
    const userId = body.user_id;
    const storeId = principal.kind === "api_key" ? principal.storeId : undefined;
    const result = await markReferralActive({ userId, storeId });
    if (result.outcome === "not_found") {
      throw new ApiError("not_found", "No referred user with this user_id.");
    }
    const referral = await getReferralEvent({
      referralId: result.referralId,
      storeId: result.storeId,
    });
    if (!referral) throw new Error(`Referral ${result.referralId} vanished after activation.`);
    if (result.outcome === "activated") {
      captureEvent({
        event: AnalyticsEvent.STORE_REFERRAL_ACTIVATED,
        distinctId: userId,
        properties: { referral_code: referral.referralCode, store_id: result.storeId },
      });
    }
    return { outcome: result.outcome, referral: toApiReferralEvent(referral) };
  },
);
