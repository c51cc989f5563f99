// shop/update: the shop's settings changed; the app follows its time zone (`iana_timezone`).
// A zone the app cannot use is logged and ignored (the store keeps its own); the change is
// recorded on the store (decision 0018: days already counted stay where they fell).
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";

import { checkedShopTimeZone } from "~/lib/shopify/registration.server";
import { handleShopifyWebhook } from "~/lib/shopify/webhooks.server";
import { logger } from "~/lib/infra/logger.server";
import { setStoreTimeZone } from "~/models/store.server";

// Shopify's shop payload has some 60 fields; only the zone and when the shop was updated are
// read. No zone: nothing to do. An `updated_at` that is not an ISO 8601 time is not used.
const shopUpdatePayload = z.object({
  iana_timezone: z.string().max(10_000).nullish(),
  updated_at: z.string().datetime({ offset: true }).nullish().catch(null),
});

export async function action({ request }: ActionFunctionArgs) {
  return handleShopifyWebhook(
    request,
    { topic: "shop/update", payload: shopUpdatePayload },
    async ({ shopDomain, payload }, client) => {
      if (!payload.iana_timezone) return;
      const timeZone = await checkedShopTimeZone(shopDomain, payload.iana_timezone);
      if (!timeZone) return;
      const asOf = updatedAt(payload.updated_at);
      const result = await setStoreTimeZone({ shopDomain, timeZone, asOf }, client);
      if (result?.stale) {
        logger.info("store.time_zone_update_stale", { shopDomain, asOf: payload.updated_at });
      }
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

// 1970 to 9999: a time PostgreSQL and the payload's ISO form both hold (year 0 has neither).
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(10_000, 0, 1);

function updatedAt(value: string | null | undefined): Date | null {
  if (!value) return null;
  const at = Date.parse(value);
  return at >= EARLIEST && at < LATEST ? new Date(at) : null;
}
