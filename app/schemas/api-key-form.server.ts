// The admin page's API key forms (app/routes/app.api-keys.tsx): create a key, revoke a key.
// Server-only (.server), so that zod stays out of the page's browser bundle.
import { z } from "zod";

import { API_KEY_NAME_MAX, API_SCOPES } from "~/schemas/api-key-constants";
import { safeText } from "~/schemas/primitives";

export const ApiKeyForm = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create"),
    name: safeText({ error: "Enter a name for the key." })
      .trim()
      .min(1, "Enter a name for the key.")
      .max(API_KEY_NAME_MAX, `Use at most ${API_KEY_NAME_MAX} characters.`)
      .describe("A name telling what uses the key, e.g. “Warehouse dashboard”."),
    scopes: z
      .array(z.enum(API_SCOPES, { error: "Choose read and/or write." }))
      .min(1, "Choose at least one scope.")
      .describe("read: analytics and referrals; write: activation."),
  }),
  z.object({
    intent: z.literal("revoke"),
    apiKeyId: z.uuid({ error: "Unknown API key." }).describe("The key to revoke."),
  }),
]);

export type ApiKeyFormInput = z.infer<typeof ApiKeyForm>;

/**
 * The form's fields as the schema expects them: `scopes` may come as repeated fields
 * (checkboxes) or as one comma-separated value.
 */
export function apiKeyFormValues(formData: FormData) {
  const text = (name: string) => {
    const value = formData.get(name);
    return typeof value === "string" ? value : undefined;
  };
  return {
    intent: text("intent"),
    name: text("name"),
    apiKeyId: text("apiKeyId"),
    scopes: formData
      .getAll("scopes")
      .flatMap((value) => (typeof value === "string" ? value.split(",") : []))
      .map((value) => value.trim())
      .filter(Boolean),
  };
}
