// POST /webhooks/clerk: Clerk's user.created, verified with svix. Backfills the attribution of
// a sign-up whose redirect to /auth/complete never happened (tab closed, network lost), from
// the unsafe metadata our sign-up page set. The same attribution function runs, so both paths
// together still attribute once; a duplicate delivery (same svix-id) is ignored.
import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Webhook, WebhookVerificationError } from "svix";

import { getEnv } from "~/env.server";
import { clerkIdentity } from "~/lib/signup/clerk.server";
import { logger } from "~/lib/infra/logger.server";
import { verifyClickId } from "~/lib/referral-links/cookie.server";
import { attributeSignup } from "~/lib/signup/attribution.server";
import { forgetWebhookDelivery, recordWebhookDelivery } from "~/models/inbound-webhook.server";
import { clerkUserCreatedSchema, clerkWebhookEventSchema } from "~/schemas/clerk-webhook";

const MAX_BODY_BYTES = 256 * 1024;

function webhookError(status: number, code: string, message: string) {
  return json({ error: { code, message } }, { status });
}

export function loader() {
  return webhookError(405, "method_not_allowed", "Clerk webhooks are delivered with POST.");
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return loader();
  const env = getEnv();
  if (!env.CLERK_WEBHOOK_SECRET || !env.clerkEnabled) {
    return webhookError(
      503,
      "webhook_not_configured",
      "Clerk webhooks are not configured here: set CLERK_WEBHOOK_SECRET and Clerk's keys.",
    );
  }
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) {
    return webhookError(413, "payload_too_large", "The payload exceeds 256 KB.");
  }
  const body = await request.text();
  const svixHeaders = {
    "svix-id": request.headers.get("svix-id") ?? "",
    "svix-timestamp": request.headers.get("svix-timestamp") ?? "",
    "svix-signature": request.headers.get("svix-signature") ?? "",
  };
  let verified: unknown;
  try {
    verified = new Webhook(env.CLERK_WEBHOOK_SECRET).verify(body, svixHeaders);
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      return webhookError(401, "invalid_signature", "The svix signature is missing or invalid.");
    }
    logger.error("clerk_webhook.secret_invalid", { error });
    return webhookError(503, "webhook_not_configured", "CLERK_WEBHOOK_SECRET is not valid.");
  }

  const event = clerkWebhookEventSchema.safeParse(verified);
  if (!event.success) return webhookError(400, "invalid_payload", "Not a Clerk webhook event.");
  if (event.data.type !== "user.created") return json({ received: true, ignored: true });
  const user = clerkUserCreatedSchema.safeParse(event.data.data);
  if (!user.success) return webhookError(400, "invalid_payload", "user.created without a user id.");

  const delivery = { source: "clerk" as const, deliveryId: svixHeaders["svix-id"] };
  let firstDelivery: boolean;
  try {
    firstDelivery = await recordWebhookDelivery({ ...delivery, topic: event.data.type });
  } catch (error) {
    logger.error("clerk_webhook.delivery_not_recorded", { error });
    return webhookError(503, "temporarily_unavailable", "Try again later.");
  }
  if (!firstDelivery) return json({ received: true, duplicate: true });

  const metadata = user.data.unsafe_metadata;
  const attribution = await attributeSignup({
    identity: clerkIdentity,
    userId: user.data.id,
    referralCode: metadata?.referral_code,
    clickId: verifyClickId(metadata?.referral_click),
    via: "webhook",
  });
  if (attribution.failedSteps.length > 0) {
    // Let svix deliver it again: every step is safe to repeat.
    await forgetWebhookDelivery(delivery).catch((error: unknown) =>
      logger.error("clerk_webhook.delivery_not_forgotten", { error }),
    );
    return webhookError(503, "temporarily_unavailable", "Attribution incomplete; retry later.");
  }
  return json({
    received: true,
    referralSource: attribution.referralSource,
    storeAttributed: attribution.storeAttributed,
  });
}
