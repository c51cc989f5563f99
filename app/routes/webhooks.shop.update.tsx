// shop/update: the shop's settings changed; the app follows its time zone (`iana_timezone`).
// A zone the app cannot use is logged and ignored (the store keeps its own); the change is
// recorded on the store (decision 0018: days already counted stay where they fell).
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";

import { checkedShopTimeZone } from "~/lib/shopify/registration.server";
import { handleShopifyWebhook } from "~/lib/shopify/webhooks.server";
import { logger } from "~/lib/infra/logger.server";
import { setStoreTimeZone } from "~/models/store.server";

// Shopify's shop payload has some 60 fields; only the zone is read. Absent or null: nothing to do.
const shopUpdatePayload = z.object({ iana_timezone: z.string().max(10_000).nullish() });

export async function action({ request }: ActionFunctionArgs) {
  return handleShopifyWebhook(
    request,
    { topic: "shop/update", payload: shopUpdatePayload },
    async ({ shopDomain, payload }, client) => {
      if (!payload.iana_timezone) return;
      const timeZone = await checkedShopTimeZone(shopDomain, payload.iana_timezone);
      if (!timeZone) return;
      const result = await setStoreTimeZone({ shopDomain, timeZone }, client);
      if (result?.changed) {
        logger.info("store.time_zone_changed", {
          shopDomain,
          from: result.previousTimeZone,
          to: timeZone,
        });
      }
    },
  );
}
