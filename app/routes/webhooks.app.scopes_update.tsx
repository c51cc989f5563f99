// app/scopes_update: the scopes the merchant granted now are recorded on the shop's sessions.
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";

import { handleShopifyWebhook } from "~/lib/shopify/webhooks.server";
import { updateSessionScope } from "~/models/session.server";

const scopesUpdatePayload = z.object({ current: z.array(z.string()) });

export async function action({ request }: ActionFunctionArgs) {
  return handleShopifyWebhook(
    request,
    { topic: "app/scopes_update", payload: scopesUpdatePayload },
    ({ shopDomain, payload }, client) =>
      updateSessionScope({ shopDomain, scope: payload.current.join(",") }, client),
  );
}
