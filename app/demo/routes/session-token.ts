// Session tokens for the local admin preview (development only; 404 otherwise): what Shopify's
// admin hands App Bridge, for a shop installed in this database, signed with the demo secret.
import type { LoaderFunctionArgs } from "@remix-run/node";

import {
  mintSessionToken,
  requireDemoAdmin,
  requireDemoShop,
  requireShopQuery,
} from "~/demo/admin/admin-preview.server";

export async function loader({ request }: LoaderFunctionArgs) {
  requireDemoAdmin();
  const shopDomain = requireShopQuery(request);
  await requireDemoShop(shopDomain);
  const { token, expiresAt } = mintSessionToken({ shopDomain });
  return Response.json(
    { token, expires_at: expiresAt.toISOString() },
    { headers: { "cache-control": "no-store" } },
  );
}
