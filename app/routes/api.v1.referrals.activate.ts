// POST /api/v1/referrals/activate { "user_id": "…" }: marks a referred user active.
// A store API key (scope write) acts on its own store's users only; Syntropy's activation
// secret on any user. Repeating it changes nothing and fires no second event.
import { ApiError } from "~/lib/integration-api/errors.server";
import { apiRoute } from "~/lib/integration-api/route.server";
import { activateReferredUser } from "~/lib/signup/activation.server";
import { apiOperations, toApiReferralEvent } from "~/schemas/api-v1";

export const { loader, action } = apiRoute(
  apiOperations.activateReferral,
  async ({ principal, body }) => {
    const activation = await activateReferredUser({
      userId: body.user_id,
      storeId: principal.kind === "api_key" ? principal.storeId : undefined,
    });
    if (activation.outcome === "not_found") {
      throw new ApiError("not_found", "No referred user with this user_id.");
    }
    return { outcome: activation.outcome, referral: toApiReferralEvent(activation.referral) };
  },
);
