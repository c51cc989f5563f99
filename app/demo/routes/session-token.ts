// Session tokens for the local admin preview (development only; 404 otherwise): what Shopify's
// admin hands App Bridge, for a shop installed in this database, signed with the demo secret.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";

import { badRequest } from "~/lib/infra/http-errors.server";
import {
  mintSessionToken,
  requireDemoAdmin,
  requireDemoShop,
  shopDomainSchema,
} from "~/demo/admin/admin-preview.server";

const tokenQuery = z.object({ shop: shopDomainSchema });

export async function loader({ request }: LoaderFunctionArgs) {
  requireDemoAdmin();
  const query = tokenQuery.safeParse({ shop: new URL(request.url).searchParams.get("shop") });
  if (!query.success) throw badRequest("shop must be a shop domain like your-shop.myshopify.com.");
  await requireDemoShop(query.data.shop);
  const { token, expiresAt } = mintSessionToken({ shopDomain: query.data.shop });
  return Response.json(
    { token, expires_at: expiresAt.toISOString() },
    { headers: { "cache-control": "no-store" } },
  );
}
