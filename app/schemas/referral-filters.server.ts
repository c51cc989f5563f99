// The referral filters of the admin's Referrals page and its CSV export (URL search params).
// Each filter is one entry of REFERRAL_FILTER_FIELDS and one field of the schema below: the
// page's controls, the inline errors, the pagination and export links all follow that list, so a
// new filter is one more entry here (and its control on the page).
import { z } from "zod";

import { addDays, DEFAULT_TIME_ZONE, startOfLocalDay } from "~/lib/infra/time-zone";
import { REFERRAL_CHANNELS, REFERRAL_STATUSES } from "~/models/referral-enums";
import type { ReferralFilters } from "~/models/referral-listing.server";
import { CURSOR_PATTERN, DAY_MAX, DAY_MIN, day } from "~/schemas/primitives";
import { FLAG_CATEGORIES, flagReasonsOfCategory } from "~/lib/signup/checks/reasons";

/** The quality filter: flagged for any reason, or for one category (never a rule or threshold). */
export const FLAG_FILTERS = ["flagged", ...FLAG_CATEGORIES] as const;

export const REFERRAL_FILTER_FIELDS = ["status", "channel", "flag", "from", "to"] as const;
export type ReferralFilterField = (typeof REFERRAL_FILTER_FIELDS)[number];
/** What the controls show: the value of each filter as text, "" for none. */
export type ReferralFilterValues = Record<ReferralFilterField, string>;
/** One message per filter that cannot be applied, in words, for beside its control. */
export type ReferralFilterErrors = Partial<Record<ReferralFilterField, string>>;

// An empty form field means "no filter".
const blankAsUndefined = (value: unknown) => (value === "" ? undefined : value);

const DATE_MESSAGE = `Enter a date as YYYY-MM-DD, from ${DAY_MIN} to ${DAY_MAX} (for example 2026-11-30).`;
const choice = (what: string, values: readonly string[]) =>
  `Choose a ${what} from the list (one of ${values.join(", ")}).`;

const filterSchemas = {
  status: z.enum(REFERRAL_STATUSES, { message: choice("status", REFERRAL_STATUSES) }),
  channel: z.enum(REFERRAL_CHANNELS, { message: choice("channel", REFERRAL_CHANNELS) }),
  flag: z.enum(FLAG_FILTERS, { message: choice("sign-up quality", FLAG_FILTERS) }),
  /** First local day of the click included (a bad date is reported as DATE_MESSAGE). */
  from: day,
  /** Last local day of the click included; at most 9999-12-30, so that the day after it can be written. */
  to: day,
} satisfies Record<ReferralFilterField, z.ZodType<string>>;

const cursor = z.string().max(200).regex(CURSOR_PATTERN, "must be a page cursor");

export const referralListQuery = z
  .object({
    status: z.preprocess(blankAsUndefined, filterSchemas.status.optional()),
    channel: z.preprocess(blankAsUndefined, filterSchemas.channel.optional()),
    flag: z.preprocess(blankAsUndefined, filterSchemas.flag.optional()),
    from: z.preprocess(blankAsUndefined, filterSchemas.from.optional()),
    to: z.preprocess(blankAsUndefined, filterSchemas.to.optional()),
    after: z.preprocess(blankAsUndefined, cursor.optional()),
    before: z.preprocess(blankAsUndefined, cursor.optional()),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, {
    message: '"From" must be on or before "To".',
    path: ["from"],
  });

export type ReferralListQuery = z.infer<typeof referralListQuery>;

/** A bad date gets the same words whatever zod's own check said (format or range). */
function messageFor(field: string, message: string) {
  if ((field === "from" || field === "to") && !message.startsWith('"From"')) return DATE_MESSAGE;
  return message;
}

export type ParsedReferralListQuery =
  | { query: ReferralListQuery; values: ReferralFilterValues; errors: null; error: null }
  | {
      query: null;
      values: ReferralFilterValues;
      /** Errors of the filters, by field (empty when only the page cursor is bad). */
      errors: ReferralFilterErrors;
      /** All of it in one sentence, naming the parameters (the CSV export's 400). */
      error: string;
    };

/**
 * Parses the page's search params. The values come back as the controls should show them (what
 * was asked, so that a bad filter can be corrected beside its field), with the errors by field.
 */
export function parseReferralListQuery(searchParams: URLSearchParams): ParsedReferralListQuery {
  const raw = Object.fromEntries(searchParams);
  const values = Object.fromEntries(
    REFERRAL_FILTER_FIELDS.map((field) => [field, (raw[field] ?? "").slice(0, 100)]),
  ) as ReferralFilterValues;
  const result = referralListQuery.safeParse(raw);
  if (result.success) return { query: result.data, values, errors: null, error: null };
  const errors: ReferralFilterErrors = {};
  const sentences: string[] = [];
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "query");
    const message = messageFor(field, issue.message);
    if ((REFERRAL_FILTER_FIELDS as readonly string[]).includes(field)) {
      errors[field as ReferralFilterField] ??= message;
    }
    sentences.push(`${field}: ${message}`);
  }
  return { query: null, values, errors, error: sentences.join(" ") };
}

/**
 * The model's filters: whole local days of the click in `timeZone` (the store's: pass
 * `store.timeZone`), `to` inclusive.
 */
export function toReferralFilters(
  query: ReferralListQuery,
  { timeZone = DEFAULT_TIME_ZONE }: { timeZone?: string } = {},
): ReferralFilters {
  return {
    status: query.status,
    channel: query.channel,
    flagReasons:
      query.flag === undefined
        ? undefined
        : query.flag === "flagged"
          ? []
          : flagReasonsOfCategory(query.flag),
    from: query.from ? startOfLocalDay(query.from, timeZone) : undefined,
    to: query.to ? startOfLocalDay(addDays(query.to, 1), timeZone) : undefined,
  };
}

/** The filter part of the query as search params (for pagination and export links). */
export function filterSearchParams(query: ReferralListQuery) {
  const params = new URLSearchParams();
  for (const name of REFERRAL_FILTER_FIELDS) {
    const value = query[name];
    if (value) params.set(name, value);
  }
  return params;
}
