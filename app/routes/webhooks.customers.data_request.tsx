// customers/data_request (mandatory compliance webhook): the app keeps no Shopify customer data,
// so there is nothing to report; the request is answered and recorded.
import type { ActionFunctionArgs } from "@remix-run/node";

import { anyPayload, handleShopifyWebhook } from "~/lib/shopify/webhooks.server";

export async function action({ request }: ActionFunctionArgs) {
  return handleShopifyWebhook(
    request,
    { topic: "customers/data_request", payload: anyPayload },
    async () => undefined,
  );
}
