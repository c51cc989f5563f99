// Clerk's webhook payloads (delivered through svix), as far as this app reads them.
import { z } from "zod";

import { safeText } from "~/schemas/primitives";

export const clerkWebhookEventSchema = z.object({
  type: safeText().min(1).max(100),
  data: z.unknown(),
});

/** user.created: the user id, and what our sign-up page put into the unsafe metadata. */
export const clerkUserCreatedSchema = z.object({
  id: safeText().min(1).max(200),
  unsafe_metadata: z
    .object({
      // Unreadable metadata is dropped (the signup still counts), never stored.
      referral_code: safeText().max(1000).optional().catch(undefined),
      referral_click: safeText().max(1000).optional().catch(undefined),
    })
    .nullish()
    .catch(null),
});
