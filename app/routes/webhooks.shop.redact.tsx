// shop/redact (mandatory compliance webhook, 48 h after uninstall): every row of the shop is
// deleted in the delivery's transaction, and nothing of any other shop.
import type { ActionFunctionArgs } from "@remix-run/node";

import { anyPayload, handleShopifyWebhook } from "~/lib/shopify/webhooks.server";
import { deleteShopData } from "~/models/store.server";

export async function action({ request }: ActionFunctionArgs) {
  return handleShopifyWebhook(
    request,
    { topic: "shop/redact", payload: anyPayload },
    ({ shopDomain, deliveryId }, client) =>
      deleteShopData({ shopDomain, keepDeliveryId: deliveryId }, client),
  );
}
