// Clerk, the identity provider in production. Session tokens are verified without a network
// call when CLERK_JWT_KEY is set; the Backend API (user metadata) is reached at CLERK_API_URL.
import { createClerkClient, type ClerkClient } from "@clerk/remix/api.server";
import { getAuth, rootAuthLoader } from "@clerk/remix/ssr.server";
import type { LoaderFunctionArgs } from "@remix-run/node";

import { getEnv, type Environment } from "~/env.server";
import type { IdentityProvider, IdentityRequest } from "~/lib/identity.server";

export const SIGN_IN_PATH = "/sign-in";
export const SIGN_UP_PATH = "/sign-up";
/** Where Clerk sends a new user: the seeds' handle_referral_cookie(). */
export const AUTH_COMPLETE_PATH = "/auth/complete";

function requireClerkKeys(env: Environment) {
  if (!env.CLERK_SECRET_KEY || !env.CLERK_PUBLISHABLE_KEY) {
    throw new Error("Clerk is not configured (CLERK_PUBLISHABLE_KEY, CLERK_SECRET_KEY).");
  }
  return { secretKey: env.CLERK_SECRET_KEY, publishableKey: env.CLERK_PUBLISHABLE_KEY };
}

/** Options of Clerk's request authentication, from the validated environment. */
export function clerkAuthOptions() {
  const env = getEnv();
  return {
    ...requireClerkKeys(env),
    jwtKey: env.CLERK_JWT_KEY,
    // A session token minted for another site's frontend is not accepted here.
    authorizedParties: [...new Set([env.SHOPIFY_APP_URL, env.PUBLIC_SITE_URL])].map(
      (url) => new URL(url).origin,
    ),
    signInUrl: SIGN_IN_PATH,
    signUpUrl: SIGN_UP_PATH,
    signUpForceRedirectUrl: AUTH_COMPLETE_PATH,
    signInForceRedirectUrl: env.POST_SIGNUP_URL,
  };
}

// Clerk decodes every run of %XX escapes in the whole Cookie header with decodeURIComponent and
// throws on a malformed one (`%80`, `%ZZ`): one odd cookie of any other script on the site made
// the sign-up pages answer 500 (found by the reliability suite's fuzzing).
const PERCENT_ESCAPES = /(%[0-9A-Z]{2})+/g;

function isDecodable(cookiePair: string) {
  try {
    cookiePair.replace(PERCENT_ESCAPES, decodeURIComponent);
    return true;
  } catch {
    return false;
  }
}

/** The request with the cookies Clerk cannot decode left out (the same request when there are none). */
export function withDecodableCookies(request: Request): Request {
  const header = request.headers.get("cookie");
  if (!header?.includes("%")) return request;
  const pairs = header.split(";");
  const kept = pairs.filter(isDecodable);
  if (kept.length === pairs.length) return request;
  const headers = new Headers(request.headers);
  headers.set("cookie", kept.join(";"));
  return new Request(request, { headers });
}

/** The loader of a page that renders Clerk's components: Clerk's state plus the page's data. */
export function clerkPageLoader<Data extends Record<string, unknown>>(
  args: LoaderFunctionArgs,
  data: Data,
) {
  return rootAuthLoader(
    { ...args, request: withDecodableCookies(args.request) },
    () => data,
    clerkAuthOptions(),
  );
}

let backend: { env: Environment; client: ClerkClient } | undefined;

function backendApi(): ClerkClient {
  const env = getEnv();
  if (backend?.env !== env) {
    backend = {
      env,
      client: createClerkClient({ ...requireClerkKeys(env), apiUrl: env.CLERK_API_URL }),
    };
  }
  return backend.client;
}

export const clerkIdentity: IdentityProvider = {
  kind: "clerk",
  async getSignedInUserId({ request, context }: IdentityRequest) {
    const auth = await getAuth(
      {
        request: withDecodableCookies(request),
        context: context ?? {},
        params: {},
      } as LoaderFunctionArgs,
      clerkAuthOptions(),
    );
    return auth.userId ?? null;
  },
  async getReferralSource(userId) {
    const user = await backendApi().users.getUser(userId);
    const referralSource = user.publicMetadata.referral_source;
    return typeof referralSource === "string" ? referralSource : null;
  },
  async setReferralSource(userId, referralCode) {
    // Clerk merges the top-level keys of public metadata: the others are kept.
    await backendApi().users.updateUserMetadata(userId, {
      publicMetadata: { referral_source: referralCode },
    });
  },
};
