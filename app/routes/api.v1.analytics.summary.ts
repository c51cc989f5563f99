// GET /api/v1/analytics/summary: the stats dict of the key's store (scope read).
import { storeIdOf } from "~/lib/integration-api/auth.server";
import { apiRoute } from "~/lib/integration-api/route.server";
import { getStoreReferralTotals } from "~/models/referral-stats.server";
import { apiOperations, toApiStatsSummary } from "~/schemas/api-v1";

export const { loader, action } = apiRoute(
  apiOperations.getAnalyticsSummary,
  async ({ principal }) =>
    toApiStatsSummary(await getStoreReferralTotals({ storeId: storeIdOf(principal) })),
);
