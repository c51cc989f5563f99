// customers/redact (mandatory compliance webhook): the app keeps no Shopify customer data
// (referred users are Syntropy sign-ups, not the shop's customers); answered and recorded.
import type { ActionFunctionArgs } from "@remix-run/node";

import { anyPayload, handleShopifyWebhook } from "~/lib/shopify/webhooks.server";

export async function action({ request }: ActionFunctionArgs) {
  return handleShopifyWebhook(
    request,
    { topic: "customers/redact", payload: anyPayload },
    async () => undefined,
  );
}
