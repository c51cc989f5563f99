// /sign-in/*: Clerk's sign-in. Signing in attributes nothing (only a sign-up goes through
// /auth/complete). Without Clerk keys (never in production) the local preview, if on, has its
// own form.
import { ClerkProvider, SignIn } from "@clerk/remix";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

import { keepAllowHeader, PublicPageError } from "~/components/PublicPageError";
import { getEnv } from "~/env.server";
import { pageMethodNotAllowed } from "~/lib/infra/http-errors.server";
import { AUTH_COMPLETE_PATH, clerkPageLoader, SIGN_UP_PATH } from "~/lib/signup/clerk.server";
import { localIdentityRedirect } from "~/lib/signup/identity.server";
import styles from "~/styles/landing.css";

export const meta = () => [{ title: "Sign in — Syntropy Health" }];

export const links = () => [{ rel: "stylesheet", href: styles }];

interface SignInPageData {
  mode: "clerk";
  clerkState: Parameters<typeof ClerkProvider>[0]["clerkState"];
  afterSignInUrl: string;
}

export async function loader(args: LoaderFunctionArgs) {
  const localIdentity = localIdentityRedirect("sign-in", args.request);
  if (localIdentity) return localIdentity;
  const env = getEnv();
  return clerkPageLoader(args, { mode: "clerk", afterSignInUrl: env.POST_SIGNUP_URL });
}

// Nothing posts here (Clerk's components talk to Clerk; the demo identity's form posts to its own
// page): POST, PUT, PATCH, DELETE … get the method error (Remix's own 405 would be logged).
export function action(): never {
  throw pageMethodNotAllowed();
}

export const headers = keepAllowHeader;

export const ErrorBoundary = PublicPageError;

export default function SignInPage() {
  const data = useLoaderData() as SignInPageData;
  return (
    <main className="landing">
      <h1>Sign in to Syntropy Health</h1>
      <ClerkProvider clerkState={data.clerkState}>
        <SignIn
          signUpUrl={SIGN_UP_PATH}
          forceRedirectUrl={data.afterSignInUrl}
          signUpForceRedirectUrl={AUTH_COMPLETE_PATH}
        />
      </ClerkProvider>
    </main>
  );
}
