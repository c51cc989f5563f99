// app/uninstalled: the store becomes deactivated (a suspended one stays suspended, with
// uninstalledAt recorded) and the shop's sessions are deleted.
import type { ActionFunctionArgs } from "@remix-run/node";

import { anyPayload, handleShopifyWebhook } from "~/lib/shopify/webhooks.server";
import { deleteSessionsForShop } from "~/models/session.server";
import { markStoreUninstalled } from "~/models/store.server";

export async function action({ request }: ActionFunctionArgs) {
  return handleShopifyWebhook(
    request,
    { topic: "app/uninstalled", payload: anyPayload },
    async ({ shopDomain }, client) => {
      await markStoreUninstalled({ shopDomain }, client);
      await deleteSessionsForShop({ shopDomain }, client);
    },
  );
}
