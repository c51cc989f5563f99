// GET /api/v1/analytics/summary?timezone=: the stats dict of the key's store (scope read).
import { storeIdOf } from "~/lib/integration-api/auth.server";
import { apiRoute } from "~/lib/integration-api/route.server";
import { requestedTimeZone } from "~/lib/integration-api/time-zone.server";
import { getStoreReferralTotals } from "~/models/referral-stats.server";
import { apiOperations, SummaryQuery, toApiStatsSummary } from "~/schemas/api-v1";

export const { loader, action } = apiRoute(
  apiOperations.getAnalyticsSummary,
  async ({ principal, query }) => {
    const storeId = storeIdOf(principal);
    const timeZone = await requestedTimeZone(storeId, query.timezone, SummaryQuery);
    return toApiStatsSummary(await getStoreReferralTotals({ storeId, timeZone }), timeZone);
  },
);
