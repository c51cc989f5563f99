// GET /api/v1/referrals?status=&cursor=&limit=: the key's store's referral events (scope read).
import { storeIdOf } from "~/lib/integration-api/auth.server";
import { invalidInputError } from "~/lib/integration-api/errors.server";
import { apiRoute } from "~/lib/integration-api/route.server";
import { getReferralsForStore, InvalidCursorError } from "~/models/referral-listing.server";
import { apiOperations, ReferralsQuery, toApiReferralEvent } from "~/schemas/api-v1";

export const { loader, action } = apiRoute(
  apiOperations.listReferrals,
  async ({ principal, query }) => {
    try {
      const page = await getReferralsForStore({
        storeId: storeIdOf(principal),
        limit: query.limit,
        cursor: query.cursor,
        filters: { status: query.status },
      });
      return { data: page.items.map(toApiReferralEvent), next_cursor: page.nextCursor };
    } catch (error) {
      if (error instanceof InvalidCursorError) {
        throw invalidInputError({
          location: "query parameter",
          path: ["cursor"],
          reason: "is not a page cursor this API returned",
          schema: ReferralsQuery,
        });
      }
      throw error;
    }
  },
);
