// Clerk's webhook payloads (delivered through svix), as far as this app reads them.
import { z } from "zod";

import { safeText } from "~/schemas/primitives";

export const clerkWebhookEventSchema = z.object({
  type: safeText().min(1).max(100),
  data: z.unknown(),
});

/** Clerk's user ids: `user_` and base62 (e.g. user_2abcDEF…); anything else is not Clerk's. */
const CLERK_USER_ID = /^user_[A-Za-z0-9]{1,64}$/;

/** user.created: the user id, and what our sign-up page put into the unsafe metadata. */
export const clerkUserCreatedSchema = z.object({
  id: z.string().regex(CLERK_USER_ID, "must be a Clerk user id (user_…)"),
  unsafe_metadata: z
    .object({
      // Unreadable metadata is dropped (the signup still counts), never stored.
      referral_code: safeText().max(1000).optional().catch(undefined),
      referral_click: safeText().max(1000).optional().catch(undefined),
    })
    .nullish()
    .catch(null),
  // For the sign-up quality checks only (never stored); unreadable entries leave them "not checked".
  email_addresses: z
    .array(z.object({ email_address: z.string().max(1000) }).catch({ email_address: "" }))
    .max(100)
    .optional()
    .catch(undefined),
});

/** user.deleted: Clerk sends `{ id, object: "user", deleted: true }`; only the id is read. */
export const clerkUserDeletedSchema = z.object({
  id: z.string().regex(CLERK_USER_ID, "must be a Clerk user id (user_…)"),
});
