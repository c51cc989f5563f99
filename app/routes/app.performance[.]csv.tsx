// CSV export of the Performance page's table: one row per value of the dimension, the period's
// figures and the previous period's, the range and its zone on every row. No personal data (the
// rollups hold none); values came from shoppers' URLs, so they are made formula-safe.
import type { LoaderFunctionArgs } from "@remix-run/node";

import {
  BREAKDOWN_LIMIT,
  selectedDimension,
  selectedRange,
} from "~/lib/admin/analytics-query.server";
import { csvDownload, formulaSafe } from "~/lib/infra/csv-export.server";
import { badRequest } from "~/lib/infra/http-errors.server";
import { requireStoreAdmin } from "~/lib/shopify/admin-context.server";
import type { BreakdownRow, DayRange } from "~/models/performance";
import { getBreakdown } from "~/models/store-performance.server";

const COLUMNS = [
  "dimension",
  "value",
  "clicks",
  "signups",
  "activations",
  "conversion_rate",
  "previous_clicks",
  "previous_signups",
  "previous_activations",
  "previous_conversion_rate",
  "from",
  "to",
  "previous_from",
  "previous_to",
  "time_zone",
] as const;

function toRow(
  dimension: string,
  row: Pick<BreakdownRow, "current" | "previous"> & { value: string },
  range: DayRange,
  previousRange: DayRange,
) {
  const { current, previous } = row;
  return [
    dimension,
    formulaSafe(row.value),
    String(current.clicks),
    String(current.signups),
    String(current.activations),
    current.conversionRate.toFixed(2),
    String(previous.clicks),
    String(previous.signups),
    String(previous.activations),
    previous.conversionRate.toFixed(2),
    range.from,
    range.to,
    previousRange.from,
    previousRange.to,
    range.timeZone,
  ];
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { store } = await requireStoreAdmin(request);
  const params = new URL(request.url).searchParams;
  const selection = selectedRange(params, store.timeZone);
  if ("error" in selection) throw badRequest(selection.error);
  const dimensionSelection = selectedDimension(params);
  if ("error" in dimensionSelection) throw badRequest(dimensionSelection.error);
  const { dimension } = dimensionSelection;
  const breakdown = await getBreakdown({
    storeId: store.id,
    dimension,
    range: selection.range,
    limit: BREAKDOWN_LIMIT,
  });
  return csvDownload({
    request,
    filename: `${store.slug}-performance-${dimension}-${breakdown.range.from}-${breakdown.range.to}.csv`,
    columns: COLUMNS,
    rows: breakdown.rows.map((row) =>
      toRow(dimension, row, breakdown.range, breakdown.previousRange),
    ),
    logEvent: "performance_csv.stream_failed",
    shopDomain: store.shopDomain,
  });
}
