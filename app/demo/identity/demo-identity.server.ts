// The demo identity: a local stand-in for Clerk in previews without Clerk keys (never in
// production, where env.server.ts requires the keys and demoFeaturesEnabled is false). A signed
// cookie holds the demo user's id; DemoUser rows hold the metadata Clerk would hold.
import { parseCookie } from "cookie";
import { z } from "zod";

import { getEnv } from "~/env.server";
import type { IdentityProvider, IdentityRequest } from "~/lib/signup/identity-provider";
import { signValue, verifySignedValue } from "~/lib/infra/keyed-hash.server";
import {
  getDemoUser,
  getDemoUserReferralSource,
  setDemoUserReferralSource,
} from "~/demo/models/demo-user.server";

/** The demo identity's own pages; production's /sign-up and /sign-in send a visitor here. */
export const DEMO_SIGN_UP_PATH = "/demo/sign-up";
export const DEMO_SIGN_IN_PATH = "/demo/sign-in";

export const DEMO_SESSION_COOKIE = "demo_session";
const DEMO_SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

const demoUserIdSchema = z.string().regex(/^demo_user_[0-9a-f]{24}$/);

function sessionAttributes() {
  return `; Path=/; HttpOnly; SameSite=Lax${getEnv().NODE_ENV === "development" ? "" : "; Secure"}`;
}

/**
 * Throws a 404 unless the demo identity stands in for Clerk: no Clerk keys and demo features on
 * (never in production, where Clerk's keys are required).
 */
export function requireDemoIdentity(): void {
  const env = getEnv();
  if (env.clerkEnabled || !env.demoFeaturesEnabled) {
    throw new Response("Not found", { status: 404 });
  }
}

/** Set-Cookie value signing the demo user in. */
export function demoSessionCookie(userId: string): string {
  return `${DEMO_SESSION_COOKIE}=${signValue("demo-session", userId)}; Max-Age=${DEMO_SESSION_MAX_AGE_SECONDS}${sessionAttributes()}`;
}

/** The demo user id of a request's signed session cookie, or null. */
export function readDemoSession(cookieHeader: string | null): string | null {
  if (!cookieHeader) return null;
  const signed = parseCookie(cookieHeader)[DEMO_SESSION_COOKIE];
  const userId = signed ? verifySignedValue("demo-session", signed) : null;
  return demoUserIdSchema.safeParse(userId).success ? userId : null;
}

export const demoIdentity: IdentityProvider = {
  kind: "demo",
  async getSignedInUserId({ request }: IdentityRequest) {
    if (!getEnv().demoFeaturesEnabled) return null;
    const userId = readDemoSession(request.headers.get("cookie"));
    if (!userId) return null;
    const user = await getDemoUser({ userId });
    return user?.id ?? null;
  },
  getReferralSource: (userId) => getDemoUserReferralSource({ userId }),
  setReferralSource: (userId, referralCode) => setDemoUserReferralSource({ userId, referralCode }),
  async getEmailAddresses(userId) {
    const user = await getDemoUser({ userId });
    if (!user) throw new Error(`No demo user ${userId}`);
    return [user.email];
  },
};
