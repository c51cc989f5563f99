// Standard Webhooks signatures (https://www.standardwebhooks.com), through the reference
// `standardwebhooks` package: receivers verify with any Standard Webhooks or Svix library.
import { Webhook } from "standardwebhooks";

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/** The webhook-id of an event: the same for every delivery and retry of it. */
export function webhookMessageId(eventId: string): string {
  return `msg_${eventId.replaceAll("-", "")}`;
}

/**
 * The three headers of one attempt. `secrets` are the endpoint's current secret and, during a
 * rotation's overlap, the previous one: one `v1,` signature each, space-separated, so receivers
 * holding either secret verify.
 */
export function signWebhook({
  messageId,
  timestamp,
  body,
  secrets,
}: {
  messageId: string;
  timestamp: Date;
  body: string;
  secrets: readonly string[];
}): SignedHeaders {
  const signatures = secrets.map((secret) => new Webhook(secret).sign(messageId, timestamp, body));
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": signatures.join(" "),
  };
}
