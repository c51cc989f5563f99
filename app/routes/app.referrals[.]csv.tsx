// CSV export of the Referrals page's filtered rows, streamed page by page (no size limit, flat
// memory). Referred users are anonymized; user ids never leave the database.
import { Readable } from "node:stream";

import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { stringify } from "csv-stringify/sync";

import { badRequest } from "~/lib/infra/http-errors.server";
import { requireStoreAdmin } from "~/lib/shopify/admin-context.server";
import { logger } from "~/lib/infra/logger.server";
import { iterateReferralsForStore, type ReferralEvent } from "~/models/referral-listing.server";
import { parseReferralListQuery, toReferralFilters } from "~/schemas/referral-filters.server";
import { withSecurityHeaders } from "~/lib/infra/security-headers.server";

const COLUMNS = [
  "created_at",
  "status",
  "channel",
  "referred_user",
  "signed_up_at",
  "activated_at",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "event_id",
] as const;

const CSV_ROWS_PER_CHUNK = 200;

// UTM values come from shoppers' URLs: a leading =, +, -, @ would run as a spreadsheet formula.
function cell(value: string | null | undefined) {
  if (!value) return "";
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function toRow(event: ReferralEvent) {
  return [
    event.createdAt.toISOString(),
    event.status,
    event.channel,
    event.referredUser ?? "",
    event.signedUpAt?.toISOString() ?? "",
    event.activatedAt?.toISOString() ?? "",
    cell(event.utmParams?.utm_source),
    cell(event.utmParams?.utm_medium),
    cell(event.utmParams?.utm_campaign),
    event.id,
  ];
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { store } = await requireStoreAdmin(request);
  const { query, error } = parseReferralListQuery(new URL(request.url).searchParams);
  if (!query) throw badRequest(error);
  const events = iterateReferralsForStore({ storeId: store.id, filters: toReferralFilters(query) });

  // Rows go out in groups: every chunk is flushed on its own (through the response's
  // compression too), and one row a chunk compressed to 56% of its size, groups of 200 to 32%.
  async function* csv() {
    let rows: string[][] = [[...COLUMNS]];
    for await (const event of events) {
      rows.push(toRow(event));
      if (rows.length === CSV_ROWS_PER_CHUNK) {
        yield stringify(rows);
        rows = [];
      }
    }
    if (rows.length > 0) yield stringify(rows);
  }
  const body = Readable.from(csv());
  body.on("error", (streamError) =>
    logger.error("referrals_csv.stream_failed", {
      shopDomain: store.shopDomain,
      error: streamError,
    }),
  );

  // Cache-Control (never cached: the store's own data) and the rest: the one rule for admin data.
  return withSecurityHeaders(
    new Response(createReadableStreamFromReadable(body), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${store.slug}-referrals.csv"`,
      },
    }),
    { pathname: new URL(request.url).pathname, data: true },
  );
}
