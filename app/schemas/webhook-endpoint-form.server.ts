// The admin page's webhook forms (app/routes/app.webhooks.tsx) and its log's query string.
// Server-only (.server), so that zod stays out of the page's browser bundle.
import { z } from "zod";

import { isSupportedTimestamp, safeText } from "~/schemas/primitives";
import { WEBHOOK_EVENT_TYPES, WEBHOOK_URL_MAX } from "~/schemas/webhook-event-types";

const endpointId = z.uuid({ error: "Unknown endpoint." }).describe("The endpoint.");

export const WebhookEndpointForm = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create"),
    url: safeText({ error: "Enter the endpoint's URL." })
      .trim()
      .min(1, "Enter the endpoint's URL.")
      .max(WEBHOOK_URL_MAX, `Use at most ${WEBHOOK_URL_MAX} characters.`),
    events: z
      .array(z.enum(WEBHOOK_EVENT_TYPES, { error: "Choose among the listed events." }))
      .min(1, "Choose at least one event.")
      .transform((events) => [...new Set(events)]),
  }),
  z.object({ intent: z.literal("rotate"), endpointId }),
  z.object({ intent: z.literal("test"), endpointId }),
  z.object({ intent: z.literal("disable"), endpointId }),
  z.object({ intent: z.literal("enable"), endpointId }),
  z.object({ intent: z.literal("delete"), endpointId }),
  z.object({
    intent: z.literal("resend"),
    deliveryId: z.uuid({ error: "Unknown delivery." }),
  }),
]);

export type WebhookEndpointFormInput = z.infer<typeof WebhookEndpointForm>;

export function webhookFormValues(formData: FormData) {
  const text = (name: string) => {
    const value = formData.get(name);
    return typeof value === "string" ? value : undefined;
  };
  return {
    intent: text("intent"),
    url: text("url"),
    endpointId: text("endpointId"),
    deliveryId: text("deliveryId"),
    events: formData
      .getAll("events")
      .flatMap((value) => (typeof value === "string" ? value.split(",") : []))
      .map((value) => value.trim())
      .filter(Boolean),
  };
}

/** The delivery log's page cursor: the last entry of the previous page. */
export function encodeDeliveryCursor(entry: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([entry.createdAt.toISOString(), entry.id])).toString(
    "base64url",
  );
}

const CursorTuple = z.tuple([z.iso.datetime(), z.uuid()]);

/** Null for a value that is not a cursor of ours (the page answers 400). */
export function decodeDeliveryCursor(cursor: string): { createdAt: Date; id: string } | null {
  if (cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  try {
    const parsed = CursorTuple.safeParse(
      JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")),
    );
    if (!parsed.success) return null;
    const createdAt = new Date(parsed.data[0]);
    return isSupportedTimestamp(createdAt) ? { createdAt, id: parsed.data[1] } : null;
  } catch {
    return null;
  }
}
