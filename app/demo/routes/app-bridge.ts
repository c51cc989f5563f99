// The stand-in for Shopify's App Bridge script, loaded by the admin pages framed by /demo/admin
// (development only; 404 otherwise). See app/demo/admin/app-bridge.ts.
import type { LoaderFunctionArgs } from "@remix-run/node";

import { getEnv } from "~/env.server";
import {
  DEMO_SESSION_TOKEN_PATH,
  requireDemoAdmin,
  requireShopQuery,
} from "~/demo/admin/admin-preview.server";
import { demoAppBridgeScript } from "~/demo/admin/app-bridge";

export async function loader({ request }: LoaderFunctionArgs) {
  requireDemoAdmin();
  const script = demoAppBridgeScript({
    shopDomain: requireShopQuery(request),
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
