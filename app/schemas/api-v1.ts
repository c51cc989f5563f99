// The Integration API v1, described once: the zod schemas that validate each request and shape
// each response, and the table of operations. The routes (app/routes/api.v1.*.ts) run these
// schemas and the OpenAPI document (/api/v1/openapi.json) is generated from them, so the two
// cannot drift apart. Every field carries a description: it is the API's reference.
import { z } from "zod";

import { isTimeZone } from "~/lib/infra/time-zone";
import { FLAG_CATEGORIES, flagCategoriesOf } from "~/lib/signup/checks/reasons";
import {
  BREAKDOWN_DIMENSIONS,
  type Breakdown,
  checkDayRange,
  type FunnelWithRate,
  MAX_RANGE_DAYS,
  NONE_VALUE,
  OTHER_VALUE,
  percentChange,
} from "~/models/performance";
import { REFERRAL_CHANNELS, REFERRAL_REVIEWS, REFERRAL_STATUSES } from "~/models/referral-enums";
import type { ReferralEvent } from "~/models/referral-listing.server";
import type { StoreReferralTotals } from "~/models/referral-stats.server";
import type { ApiScope } from "~/schemas/api-key-constants";
import { CURSOR_PATTERN, DAY_MAX, DAY_MIN, day, safeText } from "~/schemas/primitives";
import { WEBHOOK_EVENT_TYPES, WEBHOOK_URL_MAX } from "~/schemas/webhook-event-types";

/** Named schemas, emitted under components/schemas of the OpenAPI document. */
export const apiComponents = z.registry<{ id: string }>();

function component<T extends z.ZodType>(id: string, schema: T): T {
  apiComponents.add(schema, { id });
  return schema;
}

// ---------------------------------------------------------------------------------------------
// Shared values

export { API_SCOPES, type ApiScope } from "~/schemas/api-key-constants";

export const API_ERROR_CODES = [
  "bad_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "method_not_allowed",
  "payload_too_large",
  "validation_failed",
  "rate_limited",
  "internal_error",
  "service_unavailable",
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

const ReferralStatusSchema = z
  .enum(REFERRAL_STATUSES)
  .describe("clicked (link followed), signed_up (attributed signup) or active (activated user).");

/** Days in answers; days in requests are `day` (a supported range, see schemas/primitives). */
const IsoDay = z.iso.date();
const DAY_RANGE = `from ${DAY_MIN} to ${DAY_MAX}`;
const Count = z.int().min(0);

// ---------------------------------------------------------------------------------------------
// Errors

export const ApiErrorResponse = component(
  "Error",
  z
    .object({
      error: z
        .object({
          code: z
            .enum(API_ERROR_CODES)
            .describe("Stable, machine-readable error code; the HTTP status follows from it."),
          message: z
            .string()
            .describe("What went wrong, for a developer; a 422 names the invalid field."),
        })
        .describe("The error."),
    })
    .describe("Every error of the API has this shape."),
);

/** The `timezone` parameter of the analytics endpoints (the store's zone when absent). */
const TimeZoneParameter = z
  .string()
  .max(64)
  .refine(isTimeZone, { message: "must be an IANA time zone name, e.g. America/New_York" })
  .optional()
  .describe(
    "IANA time zone name (e.g. `America/Los_Angeles`, `Asia/Kolkata`, `UTC`) in which days " +
      "are counted; default: the store's own zone (Shopify's shop setting). Case-sensitive; " +
      "offsets such as `+05:30` are refused. In the store's zone the counts come from per-day " +
      "rollups; in another zone they are counted from the referral events themselves (exact, " +
      "slower, and without folding a day's rare values into `(other)`).",
  )
  .meta({ examples: ["America/New_York"] });

const TimeZoneAnswer = z.string().describe("The IANA zone the days are counted in.");

// ---------------------------------------------------------------------------------------------
// GET /api/v1/analytics/summary

export const SummaryQuery = z.object({ timezone: TimeZoneParameter });

export const AnalyticsSummaryResponse = component(
  "AnalyticsSummary",
  z
    .object({
      total_clicks: Count.describe("Counted link clicks since the store joined."),
      total_signups: Count.describe("Signups attributed to the store since it joined."),
      conversion_rate: z
        .number()
        .min(0)
        .describe("Signups per click in percent, one decimal; 0 when there are no clicks."),
      recent_signups_30d: Count.describe(
        "Signups attributed in the last 30 days of `timezone`, today included.",
      ),
      total_active: Count.describe("Referred users marked active (activations)."),
      flagged_signups: Count.describe(
        "Signups a quality check flagged (possible self-referral, throwaway e-mail, many " +
          "sign-ups from one device, an unusual burst) that await Syntropy Health's review. " +
          "Included in total_signups, not in qualified_signups.",
      ),
      qualified_signups: Count.describe(
        "Signups that count for rewards: total_signups minus flagged_signups and minus those " +
          "rejected after review (a flagged signup that is approved counts again).",
      ),
      timezone: TimeZoneAnswer,
    })
    .describe(
      "The store's referral stats (the seeds' stats dict). The per-day series is served by " +
        "/api/v1/analytics/timeseries.",
    ),
);

/** The model's totals in the seeds' stats keys (the API's shape). */
export function toApiStatsSummary(
  totals: StoreReferralTotals,
  timeZone: string,
): z.input<typeof AnalyticsSummaryResponse> {
  return {
    timezone: timeZone,
    total_clicks: totals.totalClicks,
    total_signups: totals.totalSignups,
    conversion_rate: totals.conversionRate,
    recent_signups_30d: totals.recentSignups30d,
    total_active: totals.totalActive,
    flagged_signups: totals.flaggedSignups,
    qualified_signups: totals.qualifiedSignups,
  };
}

// ---------------------------------------------------------------------------------------------
// GET /api/v1/analytics/timeseries

export const TIMESERIES_INTERVALS = ["day", "week"] as const;
/** The longest range, in days (from and to included), per interval. */
export const TIMESERIES_MAX_DAYS = { day: 366, week: 731 } as const;
const DAY_MS = 86_400_000;

export const TimeseriesQuery = z
  .object({
    from: day.describe(`First day of the range, YYYY-MM-DD (${DAY_RANGE}), included.`),
    to: day.describe(
      `Last day of the range, YYYY-MM-DD (${DAY_RANGE}), included. At most 366 days ` +
        "after `from` for interval=day, 731 for interval=week.",
    ),
    interval: z
      .enum(TIMESERIES_INTERVALS)
      .default("day")
      .describe("Bucket size: a day, or an ISO week (Monday to Sunday), in `timezone`."),
    timezone: TimeZoneParameter,
  })
  .superRefine((query, context) => {
    if (query.from > query.to) {
      context.addIssue({
        code: "custom",
        path: ["from"],
        message: "must be on or before `to`",
      });
      return;
    }
    const days = (Date.parse(query.to) - Date.parse(query.from)) / DAY_MS + 1;
    const maxDays = TIMESERIES_MAX_DAYS[query.interval];
    if (days > maxDays) {
      context.addIssue({
        code: "custom",
        path: ["to"],
        message: `the range may span at most ${maxDays} days for interval=${query.interval}`,
      });
    }
  });

const TimeseriesBucket = component(
  "TimeseriesBucket",
  z
    .object({
      start: IsoDay.describe(
        "First day of the bucket (the day, or the week's Monday; the first week starts at `from`).",
      ),
      end: IsoDay.describe(
        "Last day of the bucket (the day, or the week's Sunday; the last week ends at `to`).",
      ),
      clicks: Count.describe("Counted link clicks in the bucket."),
      signups: Count.describe("Attributed signups in the bucket."),
      activations: Count.describe("Activations in the bucket."),
    })
    .describe("Counts of one day or one week."),
);

export const TimeseriesResponse = component(
  "Timeseries",
  z
    .object({
      from: IsoDay.describe("First day of the range, as requested."),
      to: IsoDay.describe("Last day of the range, as requested."),
      interval: z.enum(TIMESERIES_INTERVALS).describe("Bucket size, as requested."),
      timezone: TimeZoneAnswer,
      buckets: z
        .array(TimeseriesBucket)
        .describe("One bucket per day or week of the range, oldest first, zero-filled."),
    })
    .describe("Clicks, signups and activations per bucket."),
);

// ---------------------------------------------------------------------------------------------
// GET /api/v1/analytics/breakdown

export const BREAKDOWN_LIMIT_DEFAULT = 25;
export const BREAKDOWN_LIMIT_MAX = 100;

export const BreakdownQuery = z
  .object({
    dimension: z
      .enum(BREAKDOWN_DIMENSIONS)
      .describe(
        "What to break the funnel down by: channel (link, qr, storefront, other), utm_source, " +
          "utm_medium, utm_campaign, or referrer (the host of the page the click came from, " +
          "e.g. l.instagram.com).",
      ),
    from: day.describe(`First day of the range, YYYY-MM-DD (${DAY_RANGE}), included.`),
    to: day.describe(
      `Last day of the range, YYYY-MM-DD (${DAY_RANGE}), included; at most ${MAX_RANGE_DAYS} ` +
        "days after `from`. The previous period is the same number of days just before `from`.",
    ),
    timezone: TimeZoneParameter,
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(BREAKDOWN_LIMIT_MAX)
      .default(BREAKDOWN_LIMIT_DEFAULT)
      .describe(
        `Rows at most, 1 to ${BREAKDOWN_LIMIT_MAX}: the values with the most clicks; the rest ` +
          `are added up in one "${OTHER_VALUE}" row.`,
      ),
  })
  .superRefine((query, context) => {
    const checked = checkDayRange(query.from, query.to, "UTC");
    if ("error" in checked) {
      const field = checked.error.startsWith("from") ? "from" : "to";
      context.addIssue({
        code: "custom",
        path: [field],
        message: checked.error.replace(/^(from|to) /, ""),
      });
    }
  });

const Percent = z.number().nullable();

const FunnelFigures = component(
  "FunnelFigures",
  z
    .object({
      clicks: Count.describe("Counted link clicks."),
      signups: Count.describe("Attributed signups."),
      activations: Count.describe("Activations."),
      conversion_rate: z
        .number()
        .min(0)
        .describe("Signups per click in percent, two decimals; 0 without clicks."),
    })
    .describe("The funnel of one period: clicked → signed up → active."),
);

const FunnelChange = component(
  "FunnelChange",
  z
    .object({
      clicks: Percent.describe(
        "Change of clicks in percent, one decimal; null when the previous period had none.",
      ),
      signups: Percent.describe(
        "Change of signups in percent; null when the previous period had none.",
      ),
      activations: Percent.describe(
        "Change of activations in percent; null when the previous period had none.",
      ),
      conversion_rate: z
        .number()
        .describe("Change of the conversion rate, in percentage points (two decimals)."),
    })
    .describe("The current period against the previous one."),
);

const PeriodFigures = {
  current: FunnelFigures.describe("The requested range."),
  previous: FunnelFigures.describe("The previous period of the same length."),
  change: FunnelChange,
};

export const BreakdownResponse = component(
  "Breakdown",
  z
    .object({
      dimension: z.enum(BREAKDOWN_DIMENSIONS).describe("As requested."),
      from: IsoDay.describe("First day of the range, as requested."),
      to: IsoDay.describe("Last day of the range, as requested."),
      previous_from: IsoDay.describe("First day of the previous period."),
      previous_to: IsoDay.describe("Last day of the previous period (the day before `from`)."),
      timezone: TimeZoneAnswer,
      rows: z
        .array(
          z
            .object({
              value: z
                .string()
                .describe(
                  `The value, trimmed and lower-cased (at most 100 characters); "${NONE_VALUE}" ` +
                    `for clicks without it; "${OTHER_VALUE}" for the values past \`limit\`, and ` +
                    "for the values past the first 100 of a store's day (a bound on what one " +
                    "shopper can add).",
                ),
              ...PeriodFigures,
            })
            .describe("One value's funnel."),
        )
        .describe(
          "The values with clicks, sign-ups or activations in either period, most clicks first; " +
            "they add up to `totals`.",
        ),
      totals: z.object(PeriodFigures).describe("The store's totals over both periods."),
    })
    .describe("The store's funnel per value of one dimension, against the previous period."),
);

function apiFunnel(funnel: FunnelWithRate): z.input<typeof FunnelFigures> {
  return {
    clicks: funnel.clicks,
    signups: funnel.signups,
    activations: funnel.activations,
    conversion_rate: funnel.conversionRate,
  };
}

function apiPeriods({ current, previous }: { current: FunnelWithRate; previous: FunnelWithRate }) {
  return {
    current: apiFunnel(current),
    previous: apiFunnel(previous),
    change: {
      clicks: percentChange(current.clicks, previous.clicks),
      signups: percentChange(current.signups, previous.signups),
      activations: percentChange(current.activations, previous.activations),
      conversion_rate: Math.round((current.conversionRate - previous.conversionRate) * 100) / 100,
    },
  };
}

/** A breakdown of the shared module in the API's shape. */
export function toApiBreakdown(breakdown: Breakdown): z.input<typeof BreakdownResponse> {
  return {
    dimension: breakdown.dimension,
    from: breakdown.range.from,
    to: breakdown.range.to,
    previous_from: breakdown.previousRange.from,
    previous_to: breakdown.previousRange.to,
    timezone: breakdown.range.timeZone,
    rows: breakdown.rows.map((row) => ({ value: row.value, ...apiPeriods(row) })),
    totals: apiPeriods(breakdown.totals),
  };
}

// ---------------------------------------------------------------------------------------------
// GET /api/v1/referrals

export const REFERRALS_PAGE_MAX = 100;

export const ReferralsQuery = z.object({
  status: ReferralStatusSchema.optional().describe(
    "Only events that reached this status: `signed_up` includes the users who became active " +
      "since (as `total_signups` counts them), `clicked` is clicks without a sign-up, `active` " +
      "active users only.",
  ),
  cursor: z
    .string()
    .max(512)
    .regex(CURSOR_PATTERN, "must be a `next_cursor` value (base64url)")
    .optional()
    .describe("`next_cursor` of the previous page; omit for the first page.")
    .meta({ examples: ["WyIyMDI2LTExLTMwVDEyOjAwOjAwLjAwMFoiLCIwMTkzIl0"] }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(REFERRALS_PAGE_MAX)
    .default(50)
    .describe("Events per page, 1 to 100."),
});

export const ReferralEventSchema = component(
  "ReferralEvent",
  z
    .object({
      id: z.uuid().describe("The event's id."),
      status: ReferralStatusSchema,
      channel: z
        .enum(REFERRAL_CHANNELS)
        .describe("Where the link was shared: link, qr, storefront or other."),
      referral_code: z.string().describe("The store's referral code."),
      referred_user: z
        .string()
        .nullable()
        .describe(
          "An anonymous, stable label of the referred user (never the user id); null before signup.",
        ),
      utm_params: z
        .record(z.string(), z.string())
        .nullable()
        .describe("UTM parameters of the click, if any."),
      source_url: z.string().nullable().describe("The page the click came from, if known."),
      created_at: z.iso.datetime().describe("When the click (or the signup) was recorded."),
      signed_up_at: z.iso
        .datetime()
        .nullable()
        .describe("When the referred user signed up; null while clicked."),
      activated_at: z.iso
        .datetime()
        .nullable()
        .describe("When the referred user was marked active; null until then."),
      quality: z
        .object({
          review: z
            .enum(REFERRAL_REVIEWS)
            .nullable()
            .describe(
              "null: no quality check flagged the signup. flagged: awaiting Syntropy Health's " +
                "review (not in qualified_signups); approved: it counts; rejected: it does not.",
            ),
          flag_categories: z
            .array(z.enum(FLAG_CATEGORIES))
            .describe(
              "Why it was flagged, in categories: self_referral, disposable_email, " +
                "repeat_visitor (many sign-ups from one device), signup_burst. Empty if not flagged.",
            ),
          paid_ad_click: z
            .boolean()
            .describe("The link carried a paid-ad click id (gclid, fbclid, msclkid, ttclid)."),
        })
        .describe("Sign-up quality checks (a signal for partners; the rules are not published)."),
    })
    .describe("One referral event: a click that may have become a signup and an activation."),
);

/** A referral event of the shared module in the API's shape (snake_case, ISO timestamps). */
export function toApiReferralEvent(event: ReferralEvent): z.input<typeof ReferralEventSchema> {
  return {
    id: event.id,
    status: event.status,
    channel: event.channel,
    referral_code: event.referralCode,
    referred_user: event.referredUser,
    utm_params: event.utmParams,
    source_url: event.sourceUrl,
    created_at: event.createdAt.toISOString(),
    signed_up_at: event.signedUpAt?.toISOString() ?? null,
    activated_at: event.activatedAt?.toISOString() ?? null,
    quality: {
      review: event.review,
      flag_categories: flagCategoriesOf(event.flagReasons),
      paid_ad_click: event.adClickIds.length > 0,
    },
  };
}

export const ReferralsPageResponse = component(
  "ReferralsPage",
  z
    .object({
      data: z.array(ReferralEventSchema).describe("Events, newest first."),
      next_cursor: z
        .string()
        .nullable()
        .describe("Pass as `cursor` for the next page; null on the last page."),
    })
    .describe(
      "A page of referral events. Pages are stable: events recorded while paging appear on " +
        "the first page of a new listing, never as repeats.",
    ),
);

// ---------------------------------------------------------------------------------------------
// POST /api/v1/referrals/activate

// Request schemas are emitted inline, as their input side (unknown fields are ignored).
export const ActivateReferralBody = z
  .object({
    user_id: safeText()
      .trim()
      .min(1)
      .max(255)
      .describe(
        "The referred user's id (the Clerk user id that signed up). NUL characters and " +
          "unpaired surrogates are refused.",
      )
      .meta({ examples: ["user_2pQfKxW9mZbT4vN8rL3sY6hJ1dE"] }),
  })
  .describe("The user to mark active.");

export const ActivateReferralResponse = component(
  "ActivateReferralResponse",
  z
    .object({
      outcome: z
        .enum(["activated", "already_active"])
        .describe("activated by this call, or already active (nothing changed)."),
      referral: ReferralEventSchema,
    })
    .describe("The referral, after activation."),
);

// ---------------------------------------------------------------------------------------------
// GET and POST /api/v1/webhooks

export const WebhookEndpointSchema = component(
  "WebhookEndpoint",
  z
    .object({
      id: z.uuid().describe("The endpoint's id."),
      url: z.string().describe("Where the events are sent (https)."),
      events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).describe("The event types it receives."),
      enabled: z.boolean().describe("False once disabled (by the store, a 410 or failures)."),
      disabled_reason: z.string().nullable().describe("Why it was disabled; null if enabled."),
      created_at: z.iso.datetime().describe("When it was added."),
    })
    .describe("An outbound webhook endpoint of the key's store (its secret is never listed)."),
);

export const WebhookEndpointsResponse = component(
  "WebhookEndpoints",
  z
    .object({ data: z.array(WebhookEndpointSchema).describe("Oldest first.") })
    .describe("The store's webhook endpoints."),
);

export const CreateWebhookEndpointBody = z
  .object({
    url: safeText()
      .trim()
      .min(1)
      .max(WEBHOOK_URL_MAX)
      .describe("An https URL on a public address that answers 2xx within 5 seconds.")
      .meta({ examples: ["https://example.com/webhooks/referrals"] }),
    events: z
      .array(z.enum(WEBHOOK_EVENT_TYPES))
      .min(1)
      .max(WEBHOOK_EVENT_TYPES.length)
      .describe(
        "Event types to receive: referral.signed_up, referral.activated, " +
          "store.status_changed, referral.clicked (high volume).",
      )
      .meta({ examples: [["referral.signed_up", "referral.activated"]] }),
  })
  .describe("The endpoint to add.");

export const CreateWebhookEndpointResponse = component(
  "CreatedWebhookEndpoint",
  z
    .object({
      endpoint: WebhookEndpointSchema,
      secret: z
        .string()
        .describe(
          "The signing secret (whsec_…), returned this once: verify each delivery with it " +
            "(any Standard Webhooks or Svix library).",
        ),
    })
    .describe("The endpoint added, and its secret."),
);

/** An endpoint in the API's shape (snake_case, ISO timestamps). */
export function toApiWebhookEndpoint(endpoint: {
  id: string;
  url: string;
  events: readonly string[];
  disabledAt: Date | null;
  disabledReason: string | null;
  createdAt: Date;
}): z.input<typeof WebhookEndpointSchema> {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events as Array<(typeof WEBHOOK_EVENT_TYPES)[number]>,
    enabled: endpoint.disabledAt === null,
    disabled_reason: endpoint.disabledReason,
    created_at: endpoint.createdAt.toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// The operations

export type ApiCredential = "api_key" | "activation_secret";

export interface ApiOperation<
  Query extends z.ZodType | undefined = z.ZodType | undefined,
  Body extends z.ZodType | undefined = z.ZodType | undefined,
  Result extends z.ZodType = z.ZodType,
> {
  operationId: string;
  method: "GET" | "POST";
  path: string;
  summary: string;
  description: string;
  tag: "Analytics" | "Referrals" | "Webhooks";
  /** The API key scope required. */
  scope: ApiScope;
  /** Credentials accepted besides a store API key. */
  alsoAccepts?: readonly ApiCredential[];
  query?: Query;
  body?: Body;
  response: Result;
  /** Error codes this operation can answer with, besides those every operation has. */
  errors?: readonly ApiErrorCode[];
}

function operation<
  Query extends z.ZodType | undefined = undefined,
  Body extends z.ZodType | undefined = undefined,
  Result extends z.ZodType = z.ZodType,
>(definition: ApiOperation<Query, Body, Result>) {
  return definition;
}

export const apiOperations = {
  getAnalyticsSummary: operation({
    operationId: "getAnalyticsSummary",
    method: "GET",
    path: "/api/v1/analytics/summary",
    summary: "Referral stats of the key's store",
    description:
      "Total clicks, signups, conversion rate, signups of the last 30 days and activations; " +
      "signups flagged by the quality checks (awaiting review) and qualified signups.",
    tag: "Analytics",
    scope: "read",
    query: SummaryQuery,
    response: AnalyticsSummaryResponse,
    errors: ["validation_failed"],
  }),
  getAnalyticsTimeseries: operation({
    operationId: "getAnalyticsTimeseries",
    method: "GET",
    path: "/api/v1/analytics/timeseries",
    summary: "Clicks, signups and activations per day or week",
    description:
      "Counts per day or ISO week of the store's time zone (or `timezone`) for a date " +
      "range, zero-filled. The first and last weeks count only the days inside the range.",
    tag: "Analytics",
    scope: "read",
    query: TimeseriesQuery,
    response: TimeseriesResponse,
    errors: ["validation_failed"],
  }),
  getAnalyticsBreakdown: operation({
    operationId: "getAnalyticsBreakdown",
    method: "GET",
    path: "/api/v1/analytics/breakdown",
    summary: "Clicks, signups and activations per channel, UTM value or referring site",
    description:
      "Which channels and campaigns bring sign-ups: the funnel per value of one dimension " +
      "over a range of days in the store's time zone (or `timezone`), with the previous " +
      "period of the same length and the change against it. The rows add up to the totals.",
    tag: "Analytics",
    scope: "read",
    query: BreakdownQuery,
    response: BreakdownResponse,
    errors: ["validation_failed"],
  }),
  listReferrals: operation({
    operationId: "listReferrals",
    method: "GET",
    path: "/api/v1/referrals",
    summary: "Referral events of the key's store",
    description:
      "Newest first, referred users anonymized, paginated with an opaque cursor (keyset).",
    tag: "Referrals",
    scope: "read",
    query: ReferralsQuery,
    response: ReferralsPageResponse,
    errors: ["validation_failed"],
  }),
  activateReferral: operation({
    operationId: "activateReferral",
    method: "POST",
    path: "/api/v1/referrals/activate",
    summary: "Mark a referred user active",
    description:
      "Server to server. With a store API key (write scope) it acts on that store's referred " +
      "users only; with Syntropy's activation secret on any referred user. Safe to repeat: " +
      "a repeat answers 200 with outcome already_active and changes nothing.",
    tag: "Referrals",
    scope: "write",
    alsoAccepts: ["activation_secret"],
    body: ActivateReferralBody,
    response: ActivateReferralResponse,
    errors: ["bad_request", "not_found", "payload_too_large", "validation_failed"],
  }),
  listWebhookEndpoints: operation({
    operationId: "listWebhookEndpoints",
    method: "GET",
    path: "/api/v1/webhooks",
    summary: "Webhook endpoints of the key's store",
    description: "The endpoints the store's events are pushed to (see the `webhooks` section).",
    tag: "Webhooks",
    scope: "write",
    response: WebhookEndpointsResponse,
  }),
  createWebhookEndpoint: operation({
    operationId: "createWebhookEndpoint",
    method: "POST",
    path: "/api/v1/webhooks",
    summary: "Add a webhook endpoint",
    description:
      "Adds an endpoint for the key's store and returns its signing secret, once. At most 10 " +
      "per store. Loopback, private, link-local and metadata addresses are refused.",
    tag: "Webhooks",
    scope: "write",
    body: CreateWebhookEndpointBody,
    response: CreateWebhookEndpointResponse,
    errors: ["bad_request", "payload_too_large", "validation_failed"],
  }),
} as const;
