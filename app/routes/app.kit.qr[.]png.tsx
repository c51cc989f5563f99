// The store's QR code as a 1200 px PNG. Fetched by the Kit page's download button with the
// session token; always the session's own store.
import type { LoaderFunctionArgs } from "@remix-run/node";

import { getEnv } from "~/env.server";
import { requireStoreAdmin } from "~/lib/shopify/admin-context.server";
import { renderQrPng } from "~/lib/referral-links/qr-code.server";
import { qrReferralLink } from "~/lib/referral-links/links";

export async function loader({ request }: LoaderFunctionArgs) {
  const { store } = await requireStoreAdmin(request);
  const png = await renderQrPng(qrReferralLink(getEnv().PUBLIC_SITE_URL, store.referralCode));
  return new Response(new Uint8Array(png), {
    headers: {
      "Content-Type": "image/png",
      "Content-Disposition": `attachment; filename="${store.slug}-referral-qr.png"`,
      "Cache-Control": "private, no-store",
    },
  });
}
