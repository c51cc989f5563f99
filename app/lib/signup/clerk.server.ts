// Clerk, the identity provider in production. Session tokens are verified without a network
// call when CLERK_JWT_KEY is set; the Backend API (user metadata) is reached at CLERK_API_URL.
import { createClerkClient, type ClerkClient } from "@clerk/remix/api.server";
import { getAuth, rootAuthLoader } from "@clerk/remix/ssr.server";
import type { LoaderFunctionArgs } from "@remix-run/node";

import { getEnv, type Environment } from "~/env.server";
import type { IdentityProvider, IdentityRequest } from "~/lib/signup/identity-provider";

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

// Clerk reads only its own cookies (all named `__…`: __session, __client_uat, __clerk_db_jwt, …),
// but it throws (a 500 for the visitor) on cookie input it should treat as signed out, found by
// the reliability suite's fuzzing:
// - it decodes every run of %XX escapes in the whole Cookie header with decodeURIComponent, so one
//   odd cookie of any other script on the site (`%80`, `%ZZ`) broke the sign-up pages, and a
//   decoded `%3B` adds cookies;
// - it parses a three-part session cookie (`__session=..`) as a JWT without catching a part that
//   is not base64url-encoded JSON.
// So Clerk is given its own cookies only, and only those whose value is plain cookie text (RFC
// 6265 cookie-octets, no escapes) and, if it has three parts, a decodable JWT. It rejects the
// rest as usual: a missing or broken session is a signed-out visitor.
const CLERK_COOKIE_VALUE = /^[\x21\x23\x24\x26-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;

/** The bytes of a canonical base64url part, or null (Clerk's decoder throws on any other). */
function base64urlBytes(part: string): Buffer | null {
  const bytes = Buffer.from(part, "base64url");
  return bytes.toString("base64url") === part ? bytes : null;
}

function isJsonObject(bytes: Buffer | null) {
  if (!bytes) return false;
  try {
    const value: unknown = JSON.parse(bytes.toString());
    return typeof value === "object" && value !== null;
  } catch {
    return false;
  }
}

/** False for a three-part token that Clerk's JWT decoder would throw on; true otherwise. */
function isDecodableToken(token: string) {
  const parts = token.split(".");
  if (parts.length !== 3) return true;
  const [header, payload, signature] = parts.map(base64urlBytes);
  return signature !== null && isJsonObject(header!) && isJsonObject(payload!);
}

function isReadableClerkCookie(cookiePair: string) {
  const separator = cookiePair.indexOf("=");
  if (separator < 0) return false;
  if (!cookiePair.slice(0, separator).trim().startsWith("__")) return false;
  const value = cookiePair.slice(separator + 1).trim();
  return CLERK_COOKIE_VALUE.test(value) && isDecodableToken(value);
}

/** The request with only the cookies Clerk reads and can decode (the same request if that is all). */
export function clerkReadableRequest(request: Request): Request {
  const header = request.headers.get("cookie");
  if (!header) return request;
  const pairs = header.split(";");
  const kept = pairs.filter(isReadableClerkCookie);
  if (kept.length === pairs.length) return request;
  const headers = new Headers(request.headers);
  if (kept.length > 0) headers.set("cookie", kept.join(";"));
  else headers.delete("cookie");
  return new Request(request, { headers });
}

/** The loader of a page that renders Clerk's components: Clerk's state plus the page's data. */
export function clerkPageLoader<Data extends Record<string, unknown>>(
  args: LoaderFunctionArgs,
  data: Data,
) {
  return rootAuthLoader(
    { ...args, request: clerkReadableRequest(args.request) },
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

type ClerkUser = Awaited<ReturnType<ClerkClient["users"]["getUser"]>>;
const usersInFlight = new Map<string, Promise<ClerkUser>>();

/**
 * Clerk's user record. The attribution reads it twice at once (referral_source, and the e-mail
 * for the checks): one request serves both.
 */
function getClerkUser(userId: string): Promise<ClerkUser> {
  let user = usersInFlight.get(userId);
  if (!user) {
    user = backendApi().users.getUser(userId);
    usersInFlight.set(userId, user);
    const forget = () => usersInFlight.delete(userId);
    user.then(forget, forget);
  }
  return user;
}

export const clerkIdentity: IdentityProvider = {
  kind: "clerk",
  async getSignedInUserId({ request, context }: IdentityRequest) {
    const auth = await getAuth(
      {
        request: clerkReadableRequest(request),
        context: context ?? {},
        params: {},
      } as LoaderFunctionArgs,
      clerkAuthOptions(),
    );
    return auth.userId ?? null;
  },
  async getReferralSource(userId) {
    const user = await getClerkUser(userId);
    const referralSource = user.publicMetadata.referral_source;
    return typeof referralSource === "string" ? referralSource : null;
  },
  async setReferralSource(userId, referralCode) {
    // Clerk merges the top-level keys of public metadata: the others are kept.
    await backendApi().users.updateUserMetadata(userId, {
      publicMetadata: { referral_source: referralCode },
    });
  },
  async getEmailAddresses(userId) {
    const user = await getClerkUser(userId);
    const primary = user.primaryEmailAddressId;
    return [...user.emailAddresses]
      .sort((a, b) => Number(b.id === primary) - Number(a.id === primary))
      .map((email) => email.emailAddress);
  },
};
