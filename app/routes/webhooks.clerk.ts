// POST /webhooks/clerk: Clerk's user.created, verified with svix, backfills the attribution of a
// sign-up whose redirect to /auth/complete never happened, and user.deleted erases the user
// (lib/webhooks/clerk.server.ts).
import type { ActionFunctionArgs } from "@remix-run/node";

import { clerkWebhookMethodNotAllowed, handleClerkWebhook } from "~/lib/webhooks/clerk.server";

export function loader() {
  return clerkWebhookMethodNotAllowed();
}

export function action({ request }: ActionFunctionArgs) {
  return handleClerkWebhook(request);
}
