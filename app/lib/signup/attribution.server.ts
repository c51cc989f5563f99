// The seeds' handle_referral_cookie(): attributes a new user to the referral that brought them.
// One function for every path (the /auth/complete redirect, Clerk's user.created webhook) and
// every identity provider (Clerk, the demo), so that all of them run exactly the same steps.
// Each step is isolated: a failure is logged and the next step still runs; the caller never
// sees an exception, and the user always lands signed up. The webhook runs the database steps
// inside the transaction that records its delivery, and the events only once it commits.
// A store sign-up also goes through the quality checks (lib/signup/checks): what they find is
// stored on the referral; they never keep the user from being attributed, nor hold them long.
import {
  trackReferralSignupCompleted,
  trackStoreReferralSignup,
  type AttributionPath,
} from "~/lib/analytics/events.server";
import type { IdentityProvider } from "~/lib/signup/identity.server";
import { anonymizeUserId } from "~/lib/infra/keyed-hash.server";
import { logger } from "~/lib/infra/logger.server";
import {
  startSignupChecks,
  type PendingSignupChecks,
} from "~/lib/signup/checks/signup-checks.server";
import { isStoreReferralCode, validateReferralCode } from "~/models/referral-code";
import { recordReferralSignup } from "~/models/referral-signups.server";
import type { DatabaseClient } from "~/models/store.server";
import { claimReferralSource } from "~/models/user-referral-source.server";

/** No step may hold the user's redirect (or the webhook) longer than this. */
export const ATTRIBUTION_STEP_TIMEOUT_MS = 5_000;

export type AttributionStep =
  "identity_read" | "referral_source_claim" | "identity_write" | "store_signup";

export interface SignupAttributionInput {
  identity: IdentityProvider;
  userId: string;
  /** From the `ref` cookie or Clerk's unsafe metadata; re-validated here. */
  referralCode: string | null | undefined;
  /** The visitor's recorded click (signature already verified), if any. */
  clickId: string | null;
  via: AttributionPath;
  /**
   * The user's e-mail addresses when the caller has them (Clerk's user.created payload);
   * otherwise the identity provider is asked. Used by the checks only, never stored.
   */
  emailAddresses?: readonly unknown[];
}

export interface SignupAttribution {
  /** The user's referral source after this call (the first referral wins), or null. */
  referralSource: string | null;
  /** True only for the call that set it (REFERRAL_SIGNUP_COMPLETED fired). */
  referralSourceNewlySet: boolean;
  /** True only for the call that attributed the user to a store (STORE_REFERRAL_SIGNUP fired). */
  storeAttributed: boolean;
  storeId: number | null;
  /** Steps that failed and were logged (the webhook asks to be retried then). */
  failedSteps: AttributionStep[];
}

/** The transaction an attribution runs in (Clerk's webhook: the one recording its delivery). */
export interface AttributionTransaction {
  /** Every database step goes through it (the pool may hold one connection only). */
  client: DatabaseClient;
  /** Holds the events until the commit: an attribution that is rolled back fires none. */
  afterCommit(effect: () => void): void;
}

export async function attributeSignup(
  {
    identity,
    userId,
    referralCode: rawReferralCode,
    clickId,
    via,
    emailAddresses,
  }: SignupAttributionInput,
  transaction?: AttributionTransaction,
): Promise<SignupAttribution> {
  const client = transaction?.client;
  const failedSteps: AttributionStep[] = [];
  const attempt = async <T>(step: AttributionStep, work: () => Promise<T>) => {
    try {
      return { ok: true as const, value: await withTimeout(work(), step) };
    } catch (error) {
      failedSteps.push(step);
      logger.error("signup_attribution.step_failed", {
        step,
        via,
        identity: identity.kind,
        user: anonymizeUserId(userId),
        error,
      });
      return { ok: false as const };
    }
  };

  const referralCode = validateReferralCode(rawReferralCode);
  if (!referralCode) {
    return {
      referralSource: null,
      referralSourceNewlySet: false,
      storeAttributed: false,
      storeId: null,
      failedSteps,
    };
  }

  // The checks start reading now, beside step 1, so that they add (almost) nothing to it.
  const checksFor = (code: string): PendingSignupChecks =>
    startSignupChecks({
      referralCode: code,
      clickId,
      emailAddresses: emailAddresses ?? (() => identity.getEmailAddresses(userId)),
      client,
      userId,
    });
  let checks = isStoreReferralCode(referralCode) ? checksFor(referralCode) : null;

  // 1. The user's referral_source: the first referral wins, an existing one is never overwritten.
  const existing = await attempt("identity_read", () => identity.getReferralSource(userId));
  let referralSource = referralCode;
  let referralSourceNewlySet = false;
  if (existing.ok && existing.value !== null) {
    referralSource = existing.value;
    if (client) {
      // An earlier delivery may have written the identity and then been rolled back with its
      // claim: the claim (the same code, so nothing changes when it holds) tells what is new.
      const claim = await attempt("referral_source_claim", () =>
        claimReferralSource({ userId, referralCode: referralSource }, client),
      );
      referralSourceNewlySet = claim.ok && claim.value.claimed;
    }
  } else {
    // Claimed in PostgreSQL first: parallel callbacks for one user agree on one code and one
    // of them only reports it as new (the identity provider has no conditional update).
    const claim = await attempt("referral_source_claim", () =>
      claimReferralSource({ userId, referralCode }, client),
    );
    if (claim.ok) referralSource = claim.value.referralCode;
    // What could not be read is never written: it might hold an earlier referral.
    const written =
      existing.ok &&
      (await attempt("identity_write", () => identity.setReferralSource(userId, referralSource)))
        .ok;
    referralSourceNewlySet = claim.ok ? claim.value.claimed : written;
  }

  // 2. A store code: the signup counts for the store, once per user (claiming their click).
  let storeAttributed = false;
  let storeId: number | null = null;
  if (isStoreReferralCode(referralSource)) {
    // An earlier referral won: the checks are about its store.
    if (checks?.referralCode !== referralSource) checks = checksFor(referralSource);
    const quality = await checks.outcome();
    const signup = await attempt("store_signup", () =>
      recordReferralSignup({ referralCode: referralSource, userId, clickId, quality }, client),
    );
    if (signup.ok && signup.value.attributed) {
      storeAttributed = true;
      storeId = signup.value.storeId;
    }
  }

  const attribution = {
    referralSource,
    referralSourceNewlySet,
    storeAttributed,
    storeId,
    failedSteps,
  };
  const track = () => trackSignupAttribution({ userId, via }, attribution);
  if (transaction) transaction.afterCommit(track);
  else track();
  return attribution;
}

/** Fires the events of what an attribution changed: each at most once per user. */
function trackSignupAttribution(
  { userId, via }: { userId: string; via: AttributionPath },
  attribution: SignupAttribution,
) {
  const { referralSource, referralSourceNewlySet, storeAttributed, storeId } = attribution;
  if (referralSource === null) return;
  if (referralSourceNewlySet) {
    trackReferralSignupCompleted({ userId, referralSource, attributionPath: via });
  }
  if (storeAttributed && storeId !== null) {
    trackStoreReferralSignup({
      userId,
      referralCode: referralSource,
      storeId,
      attributionPath: via,
    });
  }
}

function withTimeout<T>(work: Promise<T>, step: AttributionStep): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${step} took longer than ${ATTRIBUTION_STEP_TIMEOUT_MS} ms`)),
      ATTRIBUTION_STEP_TIMEOUT_MS,
    );
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
