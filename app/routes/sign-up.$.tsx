// /sign-up/*: Clerk's sign-up (the referral code and signed click id go along as unsafe
// metadata, for the user.created webhook); the new user then goes through /auth/complete.
// Without Clerk keys (never in production) the local preview, if on, has its own form.
import { ClerkProvider, SignUp } from "@clerk/remix";
import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";

import { getEnv } from "~/env.server";
import { errorResponse } from "~/lib/infra/http-errors.server";
import { readReferralCookies } from "~/lib/referral-links/cookie.server";
import { AUTH_COMPLETE_PATH, clerkPageLoader, SIGN_IN_PATH } from "~/lib/signup/clerk.server";
import { localIdentityRedirect } from "~/lib/signup/identity.server";
import styles from "~/styles/landing.css";

export const links = () => [{ rel: "stylesheet", href: styles }];

interface SignUpPageData {
  mode: "clerk";
  clerkState: Parameters<typeof ClerkProvider>[0]["clerkState"];
  referralCode: string | null;
  signedClickId: string | null;
  afterSignInUrl: string;
}

export async function loader(args: LoaderFunctionArgs) {
  const localIdentity = localIdentityRedirect("sign-up", args.request);
  if (localIdentity) return localIdentity;
  const env = getEnv();
  const { referralCode, signedClickId } = readReferralCookies(args.request.headers.get("cookie"));
  return clerkPageLoader(args, {
    mode: "clerk",
    referralCode,
    signedClickId,
    afterSignInUrl: env.POST_SIGNUP_URL,
  });
}

// Nothing posts here (Clerk's components talk to Clerk; the demo identity's form posts to its own
// page): POST, PUT, PATCH, DELETE … get the method error (Remix's own 405 would be logged).
export function action(): never {
  throw errorResponse(405, "method_not_allowed", "This page answers GET and HEAD only.", {
    headers: { allow: "GET, HEAD" },
  });
}

// Without it, Remix keeps only the cookies of a thrown response: the 405's Allow goes along.
// Remix asks only the route of the error boundary for headers, hence this page's own boundary.
export const headers: HeadersFunction = ({ parentHeaders, errorHeaders }) => {
  const headers = new Headers(parentHeaders);
  const allow = errorHeaders?.get("allow");
  if (allow) headers.set("allow", allow);
  return headers;
};

export function ErrorBoundary() {
  const error = useRouteError();
  const answered = isRouteErrorResponse(error);
  const data = answered ? (error.data as { error?: { message?: string } } | null) : null;
  return (
    <main className="landing">
      <h1>{answered ? error.status : "Something went wrong"}</h1>
      <p>{data?.error?.message ?? "Try again from the store's link."}</p>
    </main>
  );
}

export default function SignUpPage() {
  const data = useLoaderData() as SignUpPageData;
  return (
    <main className="landing">
      <h1>Create your Syntropy Health account</h1>
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
