// The referral filters of the admin's Referrals page and its CSV export (URL search params).
import { z } from "zod";

import { addDays } from "~/models/referral-stats.server";
import { REFERRAL_CHANNELS, REFERRAL_STATUSES } from "~/models/referral-enums";
import type { ReferralFilters } from "~/models/referral-listing.server";
import { CURSOR_PATTERN, day } from "~/schemas/primitives";
import { FLAG_CATEGORIES, flagReasonsOfCategory } from "~/lib/signup/checks/reasons";

/** The quality filter: flagged for any reason, or for one category (never a rule or threshold). */
export const FLAG_FILTERS = ["flagged", ...FLAG_CATEGORIES] as const;

// An empty form field means "no filter".
const blankAsUndefined = (value: unknown) => (value === "" ? undefined : value);

const cursor = z.string().max(200).regex(CURSOR_PATTERN, "must be a page cursor");

export const referralListQuery = z
  .object({
    status: z.preprocess(blankAsUndefined, z.enum(REFERRAL_STATUSES).optional()),
    channel: z.preprocess(blankAsUndefined, z.enum(REFERRAL_CHANNELS).optional()),
    flag: z.preprocess(blankAsUndefined, z.enum(FLAG_FILTERS).optional()),
    /** First UTC day included. */
    from: z.preprocess(blankAsUndefined, day.optional()),
    /** Last UTC day included; at most 9999-12-30, so that the day after it can be written. */
    to: z.preprocess(blankAsUndefined, day.optional()),
    after: z.preprocess(blankAsUndefined, cursor.optional()),
    before: z.preprocess(blankAsUndefined, cursor.optional()),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, {
    message: "from must not be after to",
    path: ["from"],
  });

export type ReferralListQuery = z.infer<typeof referralListQuery>;

/** Parses the page's search params; the error message names the bad parameter. */
export function parseReferralListQuery(searchParams: URLSearchParams) {
  const result = referralListQuery.safeParse(Object.fromEntries(searchParams));
  if (result.success) return { query: result.data, error: null };
  const issue = result.error.issues[0];
  return {
    query: null,
    error: `${issue?.path.join(".") || "query"}: ${issue?.message ?? "invalid"}`,
  };
}

/** The model's filters: whole UTC days, `to` inclusive. */
export function toReferralFilters(query: ReferralListQuery): ReferralFilters {
  return {
    status: query.status,
    channel: query.channel,
    flagReasons:
      query.flag === undefined
        ? undefined
        : query.flag === "flagged"
          ? []
          : flagReasonsOfCategory(query.flag),
    from: query.from ? new Date(`${query.from}T00:00:00.000Z`) : undefined,
    to: query.to ? new Date(`${addDays(query.to, 1)}T00:00:00.000Z`) : undefined,
  };
}

/** The filter part of the query as search params (for pagination and export links). */
export function filterSearchParams(query: ReferralListQuery) {
  const params = new URLSearchParams();
  for (const name of ["status", "channel", "flag", "from", "to"] as const) {
    const value = query[name];
    if (value) params.set(name, value);
  }
  return params;
}
