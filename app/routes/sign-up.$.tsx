// /sign-up/*: Clerk's sign-up (the referral code and signed click id go along as unsafe
// metadata, for the user.created webhook); the new user then goes through /auth/complete.
// Without Clerk keys (never in production) the local preview, if on, has its own form.
import { ClerkProvider, SignUp } from "@clerk/remix";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

import { keepAllowHeader, PublicPageError } from "~/components/PublicPageError";
import { getEnv } from "~/env.server";
import { pageMethodNotAllowed } from "~/lib/infra/http-errors.server";
import { readReferralCookies } from "~/lib/referral-links/cookie.server";
import { AUTH_COMPLETE_PATH, clerkPageLoader, SIGN_IN_PATH } from "~/lib/signup/clerk.server";
import { localIdentityRedirect } from "~/lib/signup/identity.server";
import styles from "~/styles/landing.css";

export const meta = () => [{ title: "Create your account — Syntropy Health" }];

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
  throw pageMethodNotAllowed();
}

export const headers = keepAllowHeader;

export const ErrorBoundary = PublicPageError;

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
