// The store's QR code as SVG (scales to any print size). Fetched by the Kit page's download
// button with the session token; always the session's own store.
import type { LoaderFunctionArgs } from "@remix-run/node";

import { getEnv } from "~/env.server";
import { requireStoreAdmin } from "~/lib/shopify/admin-context.server";
import { renderQrSvg } from "~/lib/referral-links/qr-code.server";
import { qrReferralLink } from "~/lib/referral-links/links";

export async function loader({ request }: LoaderFunctionArgs) {
  const { store } = await requireStoreAdmin(request);
  const svg = await renderQrSvg(qrReferralLink(getEnv().PUBLIC_SITE_URL, store.referralCode));
  return new Response(svg, {
    headers: {
      "Content-Type": "image/svg+xml; charset=utf-8",
      "Content-Disposition": `attachment; filename="${store.slug}-referral-qr.svg"`,
      "Cache-Control": "private, no-store",
    },
  });
}
