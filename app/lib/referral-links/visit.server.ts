// A shopper's visit through a referral link, resolved once for its three doors: the short link
// `/r/:code` (Remix route and the node:http fast path) and the landing page `/?ref=:code`.
// Keep this path lean: it runs for every click, and the fast path is benchmarked (issue 7).
import { getEnv } from "~/env.server";
import { trackReferralLinkClicked } from "~/lib/analytics/events.server";
import { isBotUserAgent } from "~/lib/referral-links/bot.server";
import {
  DeadlineExceededError,
  QueueClosedError,
  QueueFullError,
} from "~/lib/infra/group-commit.server";
import { anonymousVisitorId, hashVisitor } from "~/lib/infra/keyed-hash.server";
import { logger } from "~/lib/infra/logger.server";
import { defineCounter } from "~/lib/infra/metrics.server";
import {
  decoyReferralClickCookie,
  referralClickCookie,
  referralCodeCookie,
} from "~/lib/referral-links/cookie.server";
import { minimisedSourceUrl, referrerHostOf } from "~/lib/privacy/source-url.server";
import { adClickIdsOf } from "~/lib/signup/checks/ad-click-ids";
import { isStoreReferralCode, validateReferralCode } from "~/models/referral-code";
import { recordReferralClick, type ReferralClickResult } from "~/models/referral-clicks.server";
import {
  parseReferralVisit,
  UTM_PARAMETERS,
  type ReferralVisitParameters,
} from "~/schemas/referral-visit.server";

const SOURCE_URL_MAX_LENGTH = 2048;

export interface ReferralVisitRequest {
  method: string;
  /** The code as given: the /r/:code path segment, or the first ?ref= value. */
  code: string | null | undefined;
  /** The query string's parameters (channel, UTM). */
  query: URLSearchParams | null;
  /** Path and query of the visited URL (its path and known parameters are the click's source URL). */
  pathAndQuery: string;
  userAgent: string | null | undefined;
  /** X-Forwarded-For as received, every line of it (the app runs behind a load balancer). */
  forwardedFor: string | null | undefined;
  /** The peer address of the connection. */
  clientAddress: string | null | undefined;
  /** The Referer header: only its host is kept (referrerHostOf). */
  referer?: string | null | undefined;
}

export type ReferralVisitOutcome =
  "invalid_code" | "not_a_person" | "generic_code" | "recorded" | "unknown_store" | "dropped";

export interface ReferralVisit {
  outcome: ReferralVisitOutcome;
  /** The valid code of the visit, or null. */
  referralCode: string | null;
  /** The store that counted the click (recorded outcome only). */
  storeId: number | null;
  /** Set-Cookie header values to send (none for bots, HEAD and invalid codes). */
  setCookies: string[];
  /** The landing page, keeping the UTM parameters and the channel; always this app's own `/`. */
  landingLocation: string;
}

export type ClickDropReason =
  "timeout" | "deadline" | "queue_full" | "queue_closed" | "database_error";

const visits = defineCounter(
  "referral_link_visits_total",
  "Referral link visits, by outcome (recorded, unknown_store, generic_code, dropped, not_a_person, invalid_code).",
);
const visitCounters = Object.fromEntries(
  (
    [
      "invalid_code",
      "not_a_person",
      "generic_code",
      "recorded",
      "unknown_store",
      "dropped",
    ] as const
  ).map((outcome) => [outcome, visits.withLabels({ outcome })]),
) as Record<ReferralVisitOutcome, { increment(): void }>;

const droppedClicks = defineCounter(
  "referral_clicks_dropped_total",
  "Clicks of people that could not be recorded within the time budget, by reason.",
);

/** Resolves a visit: validates, records the click within its time budget, shapes the cookies. */
export async function resolveReferralVisit(request: ReferralVisitRequest): Promise<ReferralVisit> {
  const parameters = parseReferralVisit(request.code, request.query);
  const landingLocation = landingPageLocation(parameters);
  const referralCode = parameters.code;
  const visit = (outcome: ReferralVisitOutcome, setCookies: string[], storeId: number | null) => {
    visitCounters[outcome].increment();
    return { outcome, referralCode, storeId, setCookies, landingLocation };
  };

  if (!referralCode) return visit("invalid_code", [], null);
  // HEAD requests (link checkers, prefetchers) and bots get the same page, uncounted, cookieless.
  if (request.method !== "GET" || isBotUserAgent(request.userAgent)) {
    return visit("not_a_person", [], null);
  }
  const codeCookie = referralCodeCookie(referralCode);
  // A generic (user) code: the cookie carries it to the signup; there is no store to count for.
  if (!isStoreReferralCode(referralCode)) return visit("generic_code", [codeCookie], null);

  const visitorHash = hashVisitor({
    ip: clientIp(request.forwardedFor, request.clientAddress),
    userAgent: request.userAgent ?? null,
  });
  const utmParams = utmParameters(parameters);
  const click = await recordClickWithinBudget({
    referralCode,
    visitorHash,
    utmParams,
    channel: parameters.channel ?? "link",
    // A signal for the sign-up checks: which paid-ad click id names were on the link.
    adClickIds: adClickIdsOf(request.query),
    sourceUrl: clickSourceUrl(request, parameters),
    referrerHost: referrerHostOf(request.referer),
  });

  trackReferralLinkClicked({
    anonymousVisitorId: anonymousVisitorId(visitorHash),
    referralCode,
    storeId: click.recorded ? click.storeId : undefined,
    channel: parameters.channel ?? "link",
    utmParams,
  });

  if (click.recorded) {
    return visit("recorded", [codeCookie, referralClickCookie(click.clickId)], click.storeId);
  }
  if (click.reason === "unknown_or_inactive_store") {
    return visit("unknown_store", [codeCookie, decoyReferralClickCookie()], null);
  }
  // Not acknowledged: no click cookie, so the response never claims an unwritten click.
  return visit("dropped", [codeCookie], null);
}

type ClickAttempt =
  | Extract<ReferralClickResult, { recorded: true }>
  | { recorded: false; reason: "unknown_or_inactive_store" | ClickDropReason };

const TIMED_OUT = Symbol("timed out");

/**
 * Records the click, waiting at most CLICK_RECORD_TIMEOUT_MS: the queue drops it unwritten if it
 * is still waiting at the deadline, and the race below stops waiting for a write in flight.
 */
async function recordClickWithinBudget(
  input: Parameters<typeof recordReferralClick>[0],
): Promise<ClickAttempt> {
  const budget = getEnv().CLICK_RECORD_TIMEOUT_MS;
  const recording = recordReferralClick(input, { deadline: Date.now() + budget });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(resolve, budget, TIMED_OUT);
  });
  try {
    const result = await Promise.race([recording, timeout]);
    if (result === TIMED_OUT) {
      // The write may still commit later; it is simply not acknowledged to this shopper.
      recording.catch(() => undefined);
      return dropped("timeout");
    }
    if (result.recorded) return result;
    return { recorded: false, reason: "unknown_or_inactive_store" };
  } catch (error) {
    return dropped(dropReason(error), error);
  } finally {
    clearTimeout(timer);
  }
}

function dropReason(error: unknown): ClickDropReason {
  if (error instanceof DeadlineExceededError) return "deadline";
  if (error instanceof QueueFullError) return "queue_full";
  if (error instanceof QueueClosedError) return "queue_closed";
  return "database_error";
}

const LOG_INTERVAL_MS = 10_000;
const lastLoggedAt = new Map<ClickDropReason, number>();

function dropped(reason: ClickDropReason, error?: unknown): ClickAttempt {
  droppedClicks.increment({ reason });
  // One line per reason every 10 s: an outage must not turn every click into a log line.
  const now = Date.now();
  if (now - (lastLoggedAt.get(reason) ?? 0) >= LOG_INTERVAL_MS) {
    lastLoggedAt.set(reason, now);
    logger.warn("referral_click.dropped", { reason, error });
  }
  return { recorded: false, reason };
}

/**
 * The source URL kept with the click: the path and only the parameters the app understands
 * (ref, channel, utm_*), with the values the visit's schema validated and redacted; every other
 * parameter (e-mail addresses, click ids of ad networks, session tokens) is dropped before it is
 * stored (docs/privacy.md).
 */
function clickSourceUrl(request: ReferralVisitRequest, parameters: ReferralVisitParameters) {
  const queryStart = request.pathAndQuery.indexOf("?");
  const path = queryStart === -1 ? request.pathAndQuery : request.pathAndQuery.slice(0, queryStart);
  const ref = request.query?.get("ref");
  return minimisedSourceUrl(getEnv().PUBLIC_SITE_URL, path, {
    ...parameters,
    ref: ref && validateReferralCode(ref) ? ref : undefined,
  }).slice(0, SOURCE_URL_MAX_LENGTH);
}

/** The visit's UTM values, or null when it has none (stored as SQL NULL, not `{}`). */
function utmParameters(parameters: ReferralVisitParameters): Record<string, string> | null {
  let utm: Record<string, string> | null = null;
  for (const name of UTM_PARAMETERS) {
    const value = parameters[name];
    if (value !== undefined) (utm ??= {})[name] = value;
  }
  return utm;
}

/** `/` with the UTM parameters and channel of the visit: never a location taken from input. */
function landingPageLocation(parameters: ReferralVisitParameters): string {
  const query = new URLSearchParams();
  for (const name of UTM_PARAMETERS) {
    const value = parameters[name];
    if (value !== undefined) query.set(name, value);
  }
  if (parameters.channel) query.set("channel", parameters.channel);
  const search = query.toString();
  return search ? `/?${search}` : "/";
}

/**
 * The visitor's address: the X-Forwarded-For entry TRUSTED_PROXY_HOPS from the right (each
 * trusted proxy appends the address it received the request from; entries to the left of those
 * are whatever the client wrote), else the connection's peer: with 0 hops, or when the header has
 * fewer entries than hops. `forwardedFor` is the whole header, repeated lines joined with ", " (as
 * node:http and the Fetch API's Headers both join them). lastIndexOf, not a split or a regex: this
 * runs for every click.
 */
function clientIp(
  forwardedFor: string | null | undefined,
  clientAddress: string | null | undefined,
) {
  const peer = clientAddress ?? null;
  const hops = getEnv().TRUSTED_PROXY_HOPS;
  if (hops === 0 || !forwardedFor) return peer;
  let end = forwardedFor.length;
  for (let hop = 1; ; hop++) {
    const comma = end === 0 ? -1 : forwardedFor.lastIndexOf(",", end - 1);
    if (hop === hops) return forwardedFor.slice(comma + 1, end).trim() || peer;
    if (comma === -1) return peer;
    end = comma;
  }
}

export const REFERRAL_REDIRECT_STATUS = 302;

/**
 * The redirect's headers as name/value pairs, shared by the Remix route and the node:http fast
 * path so that both answer the same. `no-store`: a shared cache must never replay a Set-Cookie,
 * nor answer a later shopper's click without counting it.
 */
export function referralRedirectHeaders(visit: ReferralVisit): Array<[string, string]> {
  const headers: Array<[string, string]> = [
    ["Location", visit.landingLocation],
    ["Cache-Control", "private, no-store"],
  ];
  for (const cookie of visit.setCookies) headers.push(["Set-Cookie", cookie]);
  return headers;
}
