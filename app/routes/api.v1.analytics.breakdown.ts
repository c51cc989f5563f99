// GET /api/v1/analytics/breakdown?dimension=&from=&to=&timezone=&limit= (scope read): the
// funnel per channel, UTM value or referring site, against the previous period.
import { storeIdOf } from "~/lib/integration-api/auth.server";
import { apiRoute } from "~/lib/integration-api/route.server";
import { requestedTimeZone } from "~/lib/integration-api/time-zone.server";
import { getBreakdown } from "~/models/store-performance.server";
import { apiOperations, BreakdownQuery, toApiBreakdown } from "~/schemas/api-v1";

export const { loader, action } = apiRoute(
  apiOperations.getAnalyticsBreakdown,
  async ({ principal, query }) => {
    const storeId = storeIdOf(principal);
    const timeZone = await requestedTimeZone(storeId, query.timezone, BreakdownQuery);
    const breakdown = await getBreakdown({
      storeId,
      dimension: query.dimension,
      range: { from: query.from, to: query.to, timeZone },
      limit: query.limit,
    });
    return toApiBreakdown(breakdown);
  },
);
