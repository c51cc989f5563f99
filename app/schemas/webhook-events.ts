// The payloads of the outbound webhooks, described once: the worker builds them with these
// types, the tests validate what receivers get with these schemas, and the OpenAPI document's
// top-level `webhooks` section (lib/integration-api/openapi.server.ts) is generated from them.
import { z } from "zod";

import { apiComponents, ReferralEventSchema } from "~/schemas/api-v1";
import {
  WEBHOOK_EVENT_DESCRIPTIONS,
  WEBHOOK_PAYLOAD_VERSION,
  WEBHOOK_TEST_EVENT_TYPE,
  type WebhookEventType,
} from "~/schemas/webhook-event-types";

const STORE_STATUSES = ["pending", "active", "suspended", "deactivated"] as const;

/** Each payload is a named component of the OpenAPI document, referenced by its `webhooks`. */
export const WEBHOOK_PAYLOAD_COMPONENT_IDS: Record<string, string> = {};

function envelope<T extends string, D extends z.ZodType>(type: T, data: D, description: string) {
  const schema = z
    .object({
      type: z.literal(type).describe("The event type."),
      version: z
        .literal(WEBHOOK_PAYLOAD_VERSION)
        .describe("The payload version; a breaking change gets a new one."),
      timestamp: z.iso.datetime().describe("When the event happened."),
      data,
    })
    .describe(description);
  const id = `Webhook_${type.replace(/[._](\w)/g, (_match, letter: string) => letter.toUpperCase())}`;
  apiComponents.add(schema, { id });
  WEBHOOK_PAYLOAD_COMPONENT_IDS[type] = id;
  return schema;
}

const ReferralData = z
  .object({
    referral: ReferralEventSchema.describe(
      "The referral as it is when the delivery is sent (the same shape as the API's).",
    ),
    referred_user_id: z
      .string()
      .optional()
      .describe(
        "The raw user id: sent only to endpoints the operator configured as Syntropy Health's " +
          "own backend (WEBHOOK_TRUSTED_ORIGINS); absent for everyone else and once erased.",
      ),
  })
  .describe("The referral event.");

export const ReferralSignedUpPayload = envelope(
  "referral.signed_up",
  ReferralData,
  WEBHOOK_EVENT_DESCRIPTIONS["referral.signed_up"],
);
export const ReferralActivatedPayload = envelope(
  "referral.activated",
  ReferralData,
  WEBHOOK_EVENT_DESCRIPTIONS["referral.activated"],
);
export const ReferralClickedPayload = envelope(
  "referral.clicked",
  ReferralData,
  WEBHOOK_EVENT_DESCRIPTIONS["referral.clicked"],
);
export const StoreStatusChangedPayload = envelope(
  "store.status_changed",
  z
    .object({
      store: z
        .object({
          referral_code: z.string().describe("The store's referral code."),
          status: z.enum(STORE_STATUSES).describe("The new status."),
          previous_status: z.enum(STORE_STATUSES).describe("The status before the change."),
          reason: z
            .string()
            .nullable()
            .describe("Why an operator suspended the store; null otherwise."),
        })
        .describe("The store."),
    })
    .describe("The status change."),
  WEBHOOK_EVENT_DESCRIPTIONS["store.status_changed"],
);
export const WebhookTestPayload = envelope(
  WEBHOOK_TEST_EVENT_TYPE,
  z.object({ message: z.string().describe("A fixed text.") }).describe("Nothing of the store."),
  "Sent by the admin's Send test event button, to one endpoint.",
);

export const webhookPayloadSchemas = {
  "referral.signed_up": ReferralSignedUpPayload,
  "referral.activated": ReferralActivatedPayload,
  "store.status_changed": StoreStatusChangedPayload,
  "referral.clicked": ReferralClickedPayload,
  [WEBHOOK_TEST_EVENT_TYPE]: WebhookTestPayload,
} as const satisfies Record<WebhookEventType | typeof WEBHOOK_TEST_EVENT_TYPE, z.ZodType>;

export type WebhookPayloadType = keyof typeof webhookPayloadSchemas;
export type WebhookPayload = z.input<(typeof webhookPayloadSchemas)[WebhookPayloadType]>;

/** Any payload the app sends: what the tests check every delivery against. */
export const WebhookPayloadSchema = z.discriminatedUnion("type", [
  ReferralSignedUpPayload,
  ReferralActivatedPayload,
  StoreStatusChangedPayload,
  ReferralClickedPayload,
  WebhookTestPayload,
]);
