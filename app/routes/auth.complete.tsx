// GET /auth/complete: where a new user lands right after signing up (Clerk's redirect, or the
// demo sign-up). The seeds' handle_referral_cookie(): attribute the signup to the referral kept
// in the `ref` cookie, clear the cookies, go on to the post-signup page. Reloading changes
// nothing; a failing step never keeps the user from landing signed up.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

import { getEnv } from "~/env.server";
import { SIGN_IN_PATH } from "~/lib/signup/clerk.server";
import { getIdentityProvider } from "~/lib/signup/identity.server";
import { clearReferralCookies, readReferralCookies } from "~/lib/referral-links/cookie.server";
import { attributeSignup } from "~/lib/signup/attribution.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const identity = getIdentityProvider();
  if (!identity) throw new Response("Sign-up is not available.", { status: 404 });
  const userId = await identity.getSignedInUserId({ request, context });
  if (!userId) {
    throw redirect(`${SIGN_IN_PATH}?redirect_url=${encodeURIComponent("/auth/complete")}`);
  }
  const { referralCode, clickId } = readReferralCookies(request.headers.get("cookie"));
  if (referralCode) {
    await attributeSignup({ identity, userId, referralCode, clickId, via: "redirect" });
  }
  const headers = new Headers({ "Cache-Control": "private, no-store" });
  for (const cookie of clearReferralCookies()) headers.append("Set-Cookie", cookie);
  return redirect(getEnv().POST_SIGNUP_URL, { headers });
}
