// The zone an analytics request counts days in: its `timezone` parameter (already well-formed,
// see TimeZoneParameter) when the database knows it too, else the store's own zone.
import { invalidInputError } from "~/lib/integration-api/errors.server";
import { getStoreTimeZone } from "~/models/store-performance.server";
import { isSupportedTimeZone } from "~/models/time-zone.server";

export async function requestedTimeZone(
  storeId: number,
  timezone: string | undefined,
  schema?: Parameters<typeof invalidInputError>[0]["schema"],
): Promise<string> {
  if (timezone === undefined) return getStoreTimeZone(storeId);
  if (await isSupportedTimeZone(timezone)) return timezone;
  throw invalidInputError({
    location: "query parameter",
    path: ["timezone"],
    reason: "is not a time zone this server knows",
    schema,
  });
}
