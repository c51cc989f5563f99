// The outbound webhook event types, as plain values shared by the models, the worker and the
// admin page's browser code (no zod here). The payloads are in schemas/webhook-events.ts.

/** Types an endpoint can subscribe to. referral.clicked is opt-in (high volume). */
export const WEBHOOK_EVENT_TYPES = [
  "referral.signed_up",
  "referral.activated",
  "store.status_changed",
  "referral.clicked",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What a new endpoint subscribes to unless told otherwise: everything but the clicks. */
export const DEFAULT_WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = [
  "referral.signed_up",
  "referral.activated",
  "store.status_changed",
];

/** Sent by "Send test event" to one endpoint, whatever it subscribes to. */
export const WEBHOOK_TEST_EVENT_TYPE = "webhook.test";

/** The version of the payloads below; a breaking change gets a new one (README, Webhooks). */
export const WEBHOOK_PAYLOAD_VERSION = "2026-12-01";

export const WEBHOOK_EVENT_DESCRIPTIONS: Record<WebhookEventType, string> = {
  "referral.signed_up": "A referred user signed up and was attributed to the store.",
  "referral.activated": "A referred user was marked active.",
  "store.status_changed": "The store became active, suspended or deactivated.",
  "referral.clicked": "A counted click on the store's referral link (high volume).",
};

export const WEBHOOK_URL_MAX = 2048;
