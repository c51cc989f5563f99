// GET /api/v1/analytics/timeseries?from=&to=&interval=day|week&timezone= (scope read).
import { storeIdOf } from "~/lib/integration-api/auth.server";
import { apiRoute } from "~/lib/integration-api/route.server";
import { requestedTimeZone } from "~/lib/integration-api/time-zone.server";
import { getStoreReferralTimeseries } from "~/models/referral-stats.server";
import { apiOperations, TimeseriesQuery } from "~/schemas/api-v1";

export const { loader, action } = apiRoute(
  apiOperations.getAnalyticsTimeseries,
  async ({ principal, query }) => {
    const storeId = storeIdOf(principal);
    const timeZone = await requestedTimeZone(storeId, query.timezone, TimeseriesQuery);
    const { from, to, interval } = query;
    const buckets = await getStoreReferralTimeseries({ storeId, from, to, interval, timeZone });
    return { from, to, interval, timezone: timeZone, buckets };
  },
);
