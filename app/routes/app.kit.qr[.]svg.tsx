// The store's QR code as SVG (scales to any print size). Fetched by the Kit page's download
// button with the session token; always the session's own store.
import type { LoaderFunctionArgs } from "@remix-run/node";

import { getEnv } from "~/env.server";
import { requireStoreAdmin } from "~/lib/shopify/admin-context.server";
import { renderQrSvg } from "~/lib/referral-links/qr-code.server";
import { qrReferralLink } from "~/lib/referral-links/links";
import { withSecurityHeaders } from "~/lib/infra/security-headers.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { store } = await requireStoreAdmin(request);
  const svg = await renderQrSvg(qrReferralLink(getEnv().PUBLIC_SITE_URL, store.referralCode));
  // Cache-Control (never cached: the store's own data) and the rest: the one rule for admin data.
  return withSecurityHeaders(
    new Response(svg, {
      headers: {
        "Content-Type": "image/svg+xml; charset=utf-8",
        "Content-Disposition": `attachment; filename="${store.slug}-referral-qr.svg"`,
      },
    }),
    { pathname: new URL(request.url).pathname, data: true },
  );
}
