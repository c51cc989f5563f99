// Clerk's webhooks (delivered through svix): verified with the svix signature, the payload
// validated, then user.created backfills the attribution of a sign-up whose redirect to
// /auth/complete never happened (tab closed, network lost), from the unsafe metadata our sign-up
// page set. The same attribution function runs, so both paths together still attribute once.
// Like Shopify's, the delivery is recorded and its effect applied in one transaction
// (lib/webhooks/inbound.server.ts): a replayed svix-id changes nothing, and an incomplete
// attribution is rolled back with its record, so svix's retry is processed. user.deleted erases
// the user (handleUserDeleted, at the end; docs/privacy.md).
import { Webhook, WebhookVerificationError } from "svix";

import { getEnv } from "~/env.server";
import { errorResponse } from "~/lib/infra/http-errors.server";
import { logger } from "~/lib/infra/logger.server";
import { readBodyBytes } from "~/lib/infra/request-body.server";
import { verifyClickId } from "~/lib/referral-links/cookie.server";
import { ATTRIBUTION_STEP_TIMEOUT_MS, attributeSignup } from "~/lib/signup/attribution.server";
import { clerkIdentity } from "~/lib/signup/clerk.server";
import { applyInboundWebhookOnce } from "~/lib/webhooks/inbound.server";
import { eraseUser, reportErasure } from "~/lib/privacy/erasure.server";
import {
  clerkUserCreatedSchema,
  clerkUserDeletedSchema,
  clerkWebhookEventSchema,
} from "~/schemas/clerk-webhook";

const MAX_BODY_BYTES = 256 * 1024;

// The attribution runs at most 4 steps of ATTRIBUTION_STEP_TIMEOUT_MS each inside the
// transaction; Prisma's default (5 s) would cut it short.
const TRANSACTION_TIMEOUT_MS = 4 * ATTRIBUTION_STEP_TIMEOUT_MS + 5_000;

/** Thrown inside the transaction so that an incomplete attribution leaves no delivery record. */
class AttributionIncompleteError extends Error {
  constructor(readonly failedSteps: string[]) {
    super(`Signup attribution incomplete: ${failedSteps.join(", ")}`);
  }
}

export function clerkWebhookMethodNotAllowed() {
  return errorResponse(405, "method_not_allowed", "Clerk webhooks are delivered with POST.");
}

export async function handleClerkWebhook(request: Request): Promise<Response> {
  if (request.method !== "POST") return clerkWebhookMethodNotAllowed();
  const env = getEnv();
  // Without Clerk (the local preview) there is no Clerk webhook to deliver: a 404, like the
  // sign-up pages. With Clerk but no secret, the operator's configuration is missing: a 503.
  if (!env.clerkEnabled) {
    return errorResponse(404, "not_found", "Clerk is not used on this instance.");
  }
  if (!env.CLERK_WEBHOOK_SECRET) {
    return errorResponse(
      503,
      "webhook_not_configured",
      "Clerk webhooks are not configured here: set CLERK_WEBHOOK_SECRET and Clerk's keys.",
    );
  }
  let body: string;
  try {
    // Bounded for chunked bodies too, before the signature is checked (413 past 256 KB).
    body = Buffer.from(await readBodyBytes(request, MAX_BODY_BYTES)).toString("utf8");
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
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
      return errorResponse(401, "invalid_signature", "The svix signature is missing or invalid.");
    }
    // svix JSON.parses the body once the signature holds: a signed body that is not JSON is bad
    // input, which svix must not retry (a 503 would be retried forever).
    if (error instanceof SyntaxError) {
      logger.warn("clerk_webhook.invalid_payload", { svixId: svixHeaders["svix-id"] });
      return errorResponse(400, "invalid_payload", "The signed payload is not JSON.");
    }
    logger.error("clerk_webhook.secret_invalid", { error });
    return errorResponse(503, "webhook_not_configured", "CLERK_WEBHOOK_SECRET is not valid.");
  }

  const event = clerkWebhookEventSchema.safeParse(verified);
  if (!event.success) return errorResponse(400, "invalid_payload", "Not a Clerk webhook event.");
  if (event.data.type === "user.deleted") {
    return handleUserDeleted(svixHeaders["svix-id"], event.data.data);
  }
  if (event.data.type !== "user.created") return Response.json({ received: true, ignored: true });
  const user = clerkUserCreatedSchema.safeParse(event.data.data);
  if (!user.success) {
    return errorResponse(400, "invalid_payload", "user.created without a user id.");
  }

  const metadata = user.data.unsafe_metadata;
  const deliveryId = svixHeaders["svix-id"];
  try {
    const outcome = await applyInboundWebhookOnce(
      { source: "clerk", deliveryId, topic: event.data.type },
      async (transaction) => {
        const attribution = await attributeSignup(
          {
            identity: clerkIdentity,
            userId: user.data.id,
            referralCode: metadata?.referral_code,
            clickId: verifyClickId(metadata?.referral_click),
            via: "webhook",
            emailAddresses: user.data.email_addresses?.map((email) => email.email_address),
          },
          transaction,
        );
        // Every step is safe to repeat: roll back and let svix deliver it again.
        if (attribution.failedSteps.length > 0) {
          throw new AttributionIncompleteError(attribution.failedSteps);
        }
        return attribution;
      },
      { timeoutMs: TRANSACTION_TIMEOUT_MS },
    );
    if (outcome.duplicate) return Response.json({ received: true, duplicate: true });
    return Response.json({
      received: true,
      referralSource: outcome.result.referralSource,
      storeAttributed: outcome.result.storeAttributed,
    });
  } catch (error) {
    if (error instanceof AttributionIncompleteError) {
      // The failed steps are logged by the attribution itself.
      logger.warn("clerk_webhook.attribution_incomplete", {
        deliveryId,
        failedSteps: error.failedSteps,
      });
      return errorResponse(503, "temporarily_unavailable", "Attribution incomplete; retry later.");
    }
    logger.error("clerk_webhook.delivery_failed", { deliveryId, error });
    return errorResponse(503, "temporarily_unavailable", "Try again later.");
  }
}

/**
 * user.deleted: the user is erased everywhere (lib/privacy/erasure.server.ts), in the transaction
 * that records the delivery, so a replay changes nothing and a failure is retried by svix. A
 * payload without a Clerk user id is refused (400) and changes nothing.
 */
async function handleUserDeleted(deliveryId: string, data: unknown): Promise<Response> {
  const user = clerkUserDeletedSchema.safeParse(data);
  if (!user.success) {
    return errorResponse(400, "invalid_payload", "user.deleted without a Clerk user id.");
  }
  try {
    const outcome = await applyInboundWebhookOnce(
      { source: "clerk", deliveryId, topic: "user.deleted" },
      async ({ client, afterCommit }) => {
        const erasure = await eraseUser({ userId: user.data.id, trigger: "clerk_webhook" }, client);
        afterCommit(() => reportErasure("clerk_webhook", erasure));
        return erasure;
      },
    );
    if (outcome.duplicate) return Response.json({ received: true, duplicate: true });
    return Response.json({ received: true, erased: outcome.result.found });
  } catch (error) {
    logger.error("clerk_webhook.erasure_failed", { deliveryId, error });
    return errorResponse(503, "temporarily_unavailable", "Try again later.");
  }
}
