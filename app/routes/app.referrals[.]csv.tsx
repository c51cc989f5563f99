// CSV export of the Referrals page's filtered rows, streamed page by page (no size limit, flat
// memory). Referred users are anonymized; user ids never leave the database. Times are ISO 8601
// with the store's offset (the day a row belongs to is the store's day), filters in its days.
import type { LoaderFunctionArgs } from "@remix-run/node";

import { isoInZone } from "~/components/dates";
import { csvDownload, formulaSafe } from "~/lib/infra/csv-export.server";
import { badRequest } from "~/lib/infra/http-errors.server";
import { requireStoreAdmin } from "~/lib/shopify/admin-context.server";
import { iterateReferralsForStore, type ReferralEvent } from "~/models/referral-listing.server";
import { parseReferralListQuery, toReferralFilters } from "~/schemas/referral-filters.server";

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

function toRow(event: ReferralEvent, timeZone: string) {
  const time = (instant: Date | null) => (instant ? isoInZone(instant, timeZone) : "");
  return [
    time(event.createdAt),
    event.status,
    event.channel,
    event.referredUser ?? "",
    time(event.signedUpAt),
    time(event.activatedAt),
    formulaSafe(event.utmParams?.utm_source),
    formulaSafe(event.utmParams?.utm_medium),
    formulaSafe(event.utmParams?.utm_campaign),
    event.id,
  ];
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { store } = await requireStoreAdmin(request);
  const { query, error } = parseReferralListQuery(new URL(request.url).searchParams);
  if (!query) throw badRequest(error);
  const { timeZone } = store;
  const events = iterateReferralsForStore({
    storeId: store.id,
    filters: toReferralFilters(query, { timeZone }),
  });
  async function* rows() {
    for await (const event of events) yield toRow(event, timeZone);
  }
  return csvDownload({
    request,
    filename: `${store.slug}-referrals.csv`,
    columns: COLUMNS,
    rows: rows(),
    logEvent: "referrals_csv.stream_failed",
    shopDomain: store.shopDomain,
  });
}
