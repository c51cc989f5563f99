// The product's analytics events: the seeds' taxonomy (utils/event_taxonomy.py) plus the
// activation this app adds, one function per event with its properties typed. Every event of the
// app goes through here; posthog.server.ts only delivers them (and never throws).
import { captureEvent } from "~/lib/analytics/posthog.server";

export const AnalyticsEvent = {
  AFFILIATE_REFERRAL_LINK_COPIED: "AFFILIATE_REFERRAL_LINK_COPIED",
  STORE_REFERRAL_LINK_CLICKED: "STORE_REFERRAL_LINK_CLICKED",
  REFERRAL_SIGNUP_COMPLETED: "REFERRAL_SIGNUP_COMPLETED",
  STORE_REFERRAL_SIGNUP: "STORE_REFERRAL_SIGNUP",
  STORE_REGISTERED: "STORE_REGISTERED",
  STORE_REFERRAL_ACTIVATED: "STORE_REFERRAL_ACTIVATED",
} as const;

export type AnalyticsEventName = (typeof AnalyticsEvent)[keyof typeof AnalyticsEvent];

/** How a signup was attributed: the /auth/complete redirect or Clerk's user.created webhook. */
export type AttributionPath = "redirect" | "webhook";

/** A visitor followed a store's referral link (a person, not a bot; recorded or not). */
export function trackReferralLinkClicked({
  anonymousVisitorId,
  referralCode,
  storeId,
  channel,
  utmParams,
}: {
  anonymousVisitorId: string;
  referralCode: string;
  /** Only when the click was recorded for an active store. */
  storeId?: number;
  channel: string;
  /** The link's utm_* parameters, sent as they came (none when null). */
  utmParams: Record<string, string> | null;
}) {
  captureEvent({
    event: AnalyticsEvent.STORE_REFERRAL_LINK_CLICKED,
    distinctId: anonymousVisitorId,
    properties: {
      referral_code: referralCode,
      ...(storeId !== undefined ? { store_id: storeId } : {}),
      channel,
      ...utmParams,
    },
  });
}

/** A new user's referral source was set (the first referral wins: fired once per user). */
export function trackReferralSignupCompleted({
  userId,
  referralSource,
  attributionPath,
}: {
  userId: string;
  referralSource: string;
  attributionPath: AttributionPath;
}) {
  captureEvent({
    event: AnalyticsEvent.REFERRAL_SIGNUP_COMPLETED,
    distinctId: userId,
    properties: { referral_source: referralSource, attribution_path: attributionPath },
  });
}

/** A new user was attributed to a store (once per user). */
export function trackStoreReferralSignup({
  userId,
  referralCode,
  storeId,
  attributionPath,
}: {
  userId: string;
  referralCode: string;
  storeId: number;
  attributionPath: AttributionPath;
}) {
  captureEvent({
    event: AnalyticsEvent.STORE_REFERRAL_SIGNUP,
    distinctId: userId,
    properties: {
      referral_code: referralCode,
      store_id: storeId,
      attribution_path: attributionPath,
    },
  });
}

/** A shop's store was created (its first install). */
export function trackStoreRegistered({
  shopDomain,
  storeId,
  referralCode,
}: {
  shopDomain: string;
  storeId: number;
  referralCode: string;
}) {
  captureEvent({
    event: AnalyticsEvent.STORE_REGISTERED,
    distinctId: shopDomain,
    properties: { store_id: storeId, referral_code: referralCode, shop_domain: shopDomain },
  });
}

/** A referred user was marked active (once per user). */
export function trackStoreReferralActivated({
  userId,
  referralCode,
  storeId,
}: {
  userId: string;
  referralCode: string;
  storeId: number;
}) {
  captureEvent({
    event: AnalyticsEvent.STORE_REFERRAL_ACTIVATED,
    distinctId: userId,
    properties: { referral_code: referralCode, store_id: storeId },
  });
}

/** A merchant copied their store's referral link in the admin. */
export function trackReferralLinkCopied({
  shopDomain,
  referralCode,
  storeId,
}: {
  shopDomain: string;
  referralCode: string;
  storeId: number;
}) {
  captureEvent({
    event: AnalyticsEvent.AFFILIATE_REFERRAL_LINK_COPIED,
    distinctId: shopDomain,
    properties: { referral_code: referralCode, store_id: storeId },
  });
}
