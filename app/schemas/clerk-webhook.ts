// Clerk's webhook payloads (delivered through svix), as far as this app reads them.
import { z } from "zod";

export const clerkWebhookEventSchema = z.object({
  type: z.string().min(1).max(100),
  data: z.unknown(),
});

/** user.created: the user id, and what our sign-up page put into the unsafe metadata. */
export const clerkUserCreatedSchema = z.object({
  id: z.string().min(1).max(200),
  unsafe_metadata: z
    .object({
      referral_code: z.string().max(1000).optional().catch(undefined),
      referral_click: z.string().max(1000).optional().catch(undefined),
    })
    .nullish()
    .catch(null),
});
