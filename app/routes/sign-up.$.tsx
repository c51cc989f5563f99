// /sign-up/*: Clerk's sign-up (the referral code and signed click id go along as unsafe
// metadata, for the user.created webhook); the new user then goes through /auth/complete.
// Without Clerk keys (never in production) the local preview, if on, has its own form. A user
// already signed in goes on to the post-signup page rather than seeing the form again; the
// page names the store of the referral kept (when active), never the raw code.
import { ClerkProvider, SignUp } from "@clerk/remix";
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

import { keepAllowHeader, PublicPageError } from "~/components/PublicPageError";
import { getEnv } from "~/env.server";
import { pageMethodNotAllowed } from "~/lib/infra/http-errors.server";
import { readReferralCookies } from "~/lib/referral-links/cookie.server";
import { activeStoreNameOf } from "~/lib/referral-links/store-name.server";
import { AUTH_COMPLETE_PATH, clerkPageLoader, SIGN_IN_PATH } from "~/lib/signup/clerk.server";
import { getIdentityProvider, localIdentityRedirect } from "~/lib/signup/identity.server";
import styles from "~/styles/landing.css";

export const meta = () => [{ title: "Create your account — Syntropy Health" }];

export const links = () => [{ rel: "stylesheet", href: styles }];

interface SignUpPageData {
  mode: "clerk";
  clerkState: Parameters<typeof ClerkProvider>[0]["clerkState"];
  referralCode: string | null;
  /** The active store of that code, or null (unknown or inactive codes are not shown). */
  storeName: string | null;
  signedClickId: string | null;
  afterSignInUrl: string;
}

export async function loader(args: LoaderFunctionArgs) {
  const env = getEnv();
  const identity = getIdentityProvider();
  if (identity && (await identity.getSignedInUserId(args))) {
    throw redirect(env.POST_SIGNUP_URL, { headers: { "Cache-Control": "private, no-store" } });
  }
  const localIdentity = localIdentityRedirect("sign-up", args.request);
  if (localIdentity) return localIdentity;
  const { referralCode, signedClickId } = readReferralCookies(args.request.headers.get("cookie"));
  return clerkPageLoader(args, {
    mode: "clerk",
    referralCode,
    storeName: await activeStoreNameOf(referralCode),
    signedClickId,
    afterSignInUrl: env.POST_SIGNUP_URL,
  });
}

// Nothing posts here (Clerk's components talk to Clerk; the demo identity's form posts to its own
// page): POST, PUT, PATCH, DELETE … get the method error (Remix's own 405 would be logged).
export function action(): never {
  throw pageMethodNotAllowed();
}

export const headers = keepAllowHeader;

export const ErrorBoundary = PublicPageError;

export default function SignUpPage() {
  const data = useLoaderData() as SignUpPageData;
  return (
    <main className="landing">
      <h1>Create your Syntropy Health account</h1>
      {data.storeName ? <p>You are joining through {data.storeName}.</p> : null}
      <ClerkProvider clerkState={data.clerkState}>
        <SignUp
          signInUrl={SIGN_IN_PATH}
          forceRedirectUrl={AUTH_COMPLETE_PATH}
          signInForceRedirectUrl={data.afterSignInUrl}
          unsafeMetadata={
            data.referralCode
              ? {
                  referral_code: data.referralCode,
                  ...(data.signedClickId ? { referral_click: data.signedClickId } : {}),
                }
              : undefined
          }
        />
      </ClerkProvider>
    </main>
  );
}
