// The one owner of the referral cookies: `ref` keeps the referral code for 30 days (the seeds'
// landing-page cookie) and `ref_click` the id of the visitor's recorded click, signed so that a
// visitor cannot claim another visitor's click. Every route reads and writes them through here.
import { parseCookie } from "cookie";

import { getEnv, type Environment } from "~/env.server";
import { signValue, verifySignedValue } from "~/lib/infra/keyed-hash.server";
import { timeOrderedUuid } from "~/lib/infra/uuid.server";
import { validateReferralCode } from "~/models/referral-code";

export const REFERRAL_COOKIE = "ref";
export const REFERRAL_CLICK_COOKIE = "ref_click";
export const REFERRAL_COOKIE_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let attributesFor: { env: Environment; keep: string; clear: string } | undefined;

/** The cookie attributes, computed once per environment (the click path sets them per request). */
function cookieAttributes() {
  const env = getEnv();
  if (attributesFor?.env !== env) {
    // Secure everywhere but local development over plain http (tests run as NODE_ENV=test).
    const common = `; Path=/; HttpOnly; SameSite=Lax${env.NODE_ENV === "development" ? "" : "; Secure"}`;
    attributesFor = {
      env,
      keep: `; Max-Age=${REFERRAL_COOKIE_MAX_AGE_SECONDS}${common}`,
      clear: `; Max-Age=0${common}`,
    };
  }
  return attributesFor;
}

/** Set-Cookie value keeping a referral code (the caller has validated it). */
export function referralCodeCookie(referralCode: string): string {
  return `${REFERRAL_COOKIE}=${referralCode}${cookieAttributes().keep}`;
}

/** The signed form of a click id, as the click cookie and Clerk's unsafe metadata carry it. */
export function signClickId(clickId: string): string {
  return signValue("click-cookie", clickId);
}

/** Set-Cookie value acknowledging a recorded click. */
export function referralClickCookie(clickId: string): string {
  return `${REFERRAL_CLICK_COOKIE}=${signClickId(clickId)}${cookieAttributes().keep}`;
}

/**
 * Set-Cookie value for a well-formed code of no active store: a signed id that matches no click,
 * made like real click ids (time-ordered UUIDs), so the response has the same shape as a known
 * code's and codes cannot be probed.
 */
export function decoyReferralClickCookie(): string {
  return referralClickCookie(timeOrderedUuid());
}

/** Set-Cookie values removing both cookies (after the signup has been attributed). */
export function clearReferralCookies(): string[] {
  const { clear } = cookieAttributes();
  return [`${REFERRAL_COOKIE}=${clear}`, `${REFERRAL_CLICK_COOKIE}=${clear}`];
}

/** A click id from its signed form, or null when absent, malformed or forged. */
export function verifyClickId(signed: string | null | undefined): string | null {
  if (!signed) return null;
  const clickId = verifySignedValue("click-cookie", signed);
  return clickId && UUID_PATTERN.test(clickId) ? clickId : null;
}

export interface ReferralCookies {
  /** The code, re-validated with the seeds' rule (a tampered cookie reads as none). */
  referralCode: string | null;
  /** The verified click id, or null. */
  clickId: string | null;
  /** The click cookie as sent (signed), to pass on to Clerk's unsafe metadata. */
  signedClickId: string | null;
}

/** Reads both cookies from a Cookie header. */
export function readReferralCookies(cookieHeader: string | null | undefined): ReferralCookies {
  if (!cookieHeader) return { referralCode: null, clickId: null, signedClickId: null };
  const cookies = parseCookie(cookieHeader);
  const clickId = verifyClickId(cookies[REFERRAL_CLICK_COOKIE]);
  return {
    referralCode: validateReferralCode(cookies[REFERRAL_COOKIE]),
    clickId,
    signedClickId: clickId ? (cookies[REFERRAL_CLICK_COOKIE] ?? null) : null,
  };
}
