// GET /r/:code: the short referral link of QR codes, the storefront block and social posts.
// Records the click (see app/lib/referral-visit.server.ts) and redirects to the landing page.
// In production the HTTP server answers these before Remix (handleNodeRequest, same responses);
// this route serves whatever the fast path leaves to Remix (unusual paths) and `remix dev`.
import type { LoaderFunctionArgs } from "@remix-run/node";

import {
  REFERRAL_REDIRECT_STATUS,
  referralRedirectHeaders,
  resolveReferralVisit,
} from "~/lib/referral-links/visit.server";
import { clientAddressOf } from "~/server/load-context";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const visit = await resolveReferralVisit({
    method: request.method,
    code: params.code,
    query: url.searchParams,
    pathAndQuery: `${url.pathname}${url.search}`,
    userAgent: request.headers.get("user-agent"),
    forwardedFor: request.headers.get("x-forwarded-for"),
    clientAddress: clientAddressOf(context),
    referer: request.headers.get("referer"),
  });
  return new Response(null, {
    status: REFERRAL_REDIRECT_STATUS,
    headers: referralRedirectHeaders(visit),
  });
}
