// GET /api/v1/analytics/timeseries?from=&to=&interval=day|week (scope read).
import { storeIdOf } from "~/lib/integration-api/auth.server";
import { apiRoute } from "~/lib/integration-api/route.server";
import { getStoreReferralTimeseries } from "~/models/referral-stats.server";
import { apiOperations } from "~/schemas/api-v1";

export const { loader, action } = apiRoute(
  apiOperations.getAnalyticsTimeseries,
  async ({ principal, query }) => {
    const buckets = await getStoreReferralTimeseries({ storeId: storeIdOf(principal), ...query });
    return { ...query, buckets };
  },
);
