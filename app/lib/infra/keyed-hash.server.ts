// Keyed hashes derived from APP_SECRET, one sub-key per purpose, so that a value hashed for one
// purpose (a visitor) can never be matched against another (a referred user's label).
import { createHmac, timingSafeEqual } from "node:crypto";

import { getEnv } from "~/env.server";

type Purpose =
  "visitor" | "referred-user" | "click-cookie" | "posthog-visitor" | "demo-session" | "owner-email";

const subKeys = new Map<string, Buffer>();

function subKey(purpose: Purpose): Buffer {
  const secret = getEnv().APP_SECRET;
  const cacheKey = `${purpose}:${secret}`;
  let key = subKeys.get(cacheKey);
  if (!key) {
    key = createHmac("sha256", secret).update(`store-referrals/${purpose}`).digest();
    subKeys.set(cacheKey, key);
  }
  return key;
}

export function keyedHash(purpose: Purpose, value: string): string {
  return createHmac("sha256", subKey(purpose)).update(value).digest("base64url");
}

/** A visitor's stable, non-reversible identity: never the raw IP or user agent. */
export function hashVisitor({ ip, userAgent }: { ip: string | null; userAgent: string | null }) {
  return keyedHash("visitor", `${ip ?? ""}\n${userAgent ?? ""}`).slice(0, 32);
}

/** The label shown for a referred user in the admin, CSV and API (e.g. "user-3f9a1c2e7b"). */
export function anonymizeUserId(userId: string): string {
  const digest = createHmac("sha256", subKey("referred-user")).update(userId).digest("hex");
  return `user-${digest.slice(0, 10)}`;
}

/** An anonymous PostHog distinct id for a visitor (never the visitor hash stored in the database). */
export function anonymousVisitorId(visitorHash: string): string {
  return `visitor-${keyedHash("posthog-visitor", visitorHash).slice(0, 24)}`;
}

const SIGNATURE_LENGTH = 32;

/** `value.signature`: lets a cookie carry a value that the visitor cannot forge. */
export function signValue(purpose: Purpose, value: string): string {
  return `${value}.${keyedHash(purpose, value).slice(0, SIGNATURE_LENGTH)}`;
}

/** The value of a `signValue` result, or null when the signature does not match. */
export function verifySignedValue(purpose: Purpose, signed: string): string | null {
  const dot = signed.lastIndexOf(".");
  if (dot <= 0) return null;
  const value = signed.slice(0, dot);
  const given = Buffer.from(signed.slice(dot + 1));
  const expected = Buffer.from(keyedHash(purpose, value).slice(0, SIGNATURE_LENGTH));
  return given.length === expected.length && timingSafeEqual(given, expected) ? value : null;
}
