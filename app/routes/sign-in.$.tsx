// /sign-in/*: Clerk's sign-in. Signing in attributes nothing (only a sign-up goes through
// /auth/complete). Without Clerk keys (never in production) the local preview, if on, has its
// own form.
import { ClerkProvider, SignIn } from "@clerk/remix";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

import { getEnv } from "~/env.server";
import { AUTH_COMPLETE_PATH, clerkPageLoader, SIGN_UP_PATH } from "~/lib/signup/clerk.server";
import { localIdentityRedirect } from "~/lib/signup/identity.server";
import styles from "~/styles/landing.css";

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
// page): a plain 404, as for any unknown request, rather than Remix's logged 405.
export function action(): never {
  throw new Response("Not found", { status: 404 });
}

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
