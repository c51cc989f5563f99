// The stand-in for Shopify's App Bridge script, loaded by the admin pages framed by /demo/admin
// (development only; 404 otherwise). See app/demo/admin/app-bridge.ts.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";

import { getEnv } from "~/env.server";
import { badRequest } from "~/lib/infra/http-errors.server";
import {
  DEMO_SESSION_TOKEN_PATH,
  requireDemoAdmin,
  shopDomainSchema,
} from "~/demo/admin/admin-preview.server";
import { demoAppBridgeScript } from "~/demo/admin/app-bridge";

const scriptQuery = z.object({ shop: shopDomainSchema });

export async function loader({ request }: LoaderFunctionArgs) {
  requireDemoAdmin();
  const query = scriptQuery.safeParse({ shop: new URL(request.url).searchParams.get("shop") });
  if (!query.success) throw badRequest("shop must be a shop domain like your-shop.myshopify.com.");
  const script = demoAppBridgeScript({
    shopDomain: query.data.shop,
    apiKey: getEnv().SHOPIFY_API_KEY,
    sessionTokenPath: DEMO_SESSION_TOKEN_PATH,
  });
  return new Response(script, {
    headers: {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "no-store",
    },
  });
}
