// The body of one delivery: the event's envelope (schemas/webhook-events.ts), its data read
// when the delivery is sent (by the claim, models/webhook-delivery.server.ts). So a referral's erasure is respected by deliveries still queued:
// an erased user's referral carries no label and no raw id.
import type { ClaimedDelivery } from "~/models/webhook-delivery.server";
import { toApiReferralEvent } from "~/schemas/api-v1";
import { WEBHOOK_PAYLOAD_VERSION, WEBHOOK_TEST_EVENT_TYPE } from "~/schemas/webhook-event-types";
import type { WebhookPayload } from "~/schemas/webhook-events";

/** True when the endpoint is on one of the operator's trusted origins (WEBHOOK_TRUSTED_ORIGINS). */
export function isTrustedEndpoint(url: string, trustedOrigins: readonly string[]): boolean {
  try {
    const { origin } = new URL(url);
    return trustedOrigins.some((trusted) => new URL(trusted).origin === origin);
  } catch {
    return false;
  }
}

/** The payload, or null when its referral no longer exists (purged): nothing to send. */
export function buildWebhookPayload(
  delivery: ClaimedDelivery,
  { trustedOrigins }: { trustedOrigins: readonly string[] },
): WebhookPayload | null {
  const timestamp = delivery.eventCreatedAt.toISOString();
  const base = { version: WEBHOOK_PAYLOAD_VERSION, timestamp } as const;
  switch (delivery.type) {
    case WEBHOOK_TEST_EVENT_TYPE:
      return {
        ...base,
        type: WEBHOOK_TEST_EVENT_TYPE,
        data: { message: "A test event from Store Referrals." },
      };
    case "store.status_changed": {
      const data = delivery.data as { from: string; to: string; reason: string | null };
      return {
        ...base,
        type: "store.status_changed",
        data: {
          store: {
            referral_code: delivery.storeReferralCode,
            status: data.to as "active",
            previous_status: data.from as "active",
            reason: data.reason ?? null,
          },
        },
      };
    }
    case "referral.signed_up":
    case "referral.activated":
    case "referral.clicked": {
      const { referral } = delivery;
      if (!referral) return null;
      const rawId =
        delivery.referredUserId && isTrustedEndpoint(delivery.url, trustedOrigins)
          ? { referred_user_id: delivery.referredUserId }
          : {};
      return {
        ...base,
        type: delivery.type,
        data: { referral: toApiReferralEvent(referral), ...rawId },
      };
    }
    default:
      return null;
  }
}
