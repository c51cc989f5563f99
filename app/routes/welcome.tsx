// /welcome: the default post-signup page (POST_SIGNUP_URL), where a new user lands after
// /auth/complete, and where a signed-in user opening /sign-up is sent. It says what happened
// (signed in or not, joined through which store, if any) and links onward. Syntropy's own app
// usually takes over from here (set POST_SIGNUP_URL).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

import { keepAllowHeader, PublicPageError } from "~/components/PublicPageError";
import { getEnv } from "~/env.server";
import { pageMethodNotAllowed } from "~/lib/infra/http-errors.server";
import { logger } from "~/lib/infra/logger.server";
import { activeStoreNameOf } from "~/lib/referral-links/store-name.server";
import { SIGN_IN_PATH } from "~/lib/signup/clerk.server";
import { getIdentityProvider } from "~/lib/signup/identity.server";
import { getReferralSource } from "~/models/user-referral-source.server";
import styles from "~/styles/landing.css";

export const links = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction = () => [{ title: "Welcome to Syntropy Health" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const env = getEnv();
  const identity = getIdentityProvider();
  const userId = identity ? await identity.getSignedInUserId({ request, context }) : null;
  const page = { siteUrl: env.PUBLIC_SITE_URL, signInUrl: SIGN_IN_PATH, signUpUrl: "/sign-up" };
  const headers = { "Cache-Control": "private, no-store" };
  if (!userId) return json({ ...page, signedIn: false, storeName: null }, { headers });
  // Which store the user joined through: this app's own record (never Clerk's API, so the page
  // answers even when Clerk is slow). Unreadable means "not said", never an error page.
  let storeName: string | null = null;
  try {
    const source = await getReferralSource({ userId });
    storeName = await activeStoreNameOf(source?.referralCode ?? null);
  } catch (error) {
    logger.warn("welcome.referral_source_unavailable", { error });
  }
  return json({ ...page, signedIn: true, storeName }, { headers });
}

// Nothing posts here: the method error, with its Allow header.
export function action(): never {
  throw pageMethodNotAllowed();
}

export const headers = keepAllowHeader;

export const ErrorBoundary = PublicPageError;

export default function Welcome() {
  const { signedIn, storeName, siteUrl, signInUrl, signUpUrl } = useLoaderData<typeof loader>();
  if (!signedIn) {
    return (
      <main className="landing">
        <h1>Welcome to Syntropy Health</h1>
        <p>You are not signed in. Create your account, or sign in if you already have one.</p>
        <p>
          <a className="landing__cta" href={signUpUrl}>
            Create your account
          </a>{" "}
          <a href={signInUrl}>Sign in</a>
        </p>
      </main>
    );
  }
  return (
    <main className="landing">
      <h1>Welcome to Syntropy Health</h1>
      <p>
        You are signed in and your account is ready.
        {storeName ? ` Thank you for joining through ${storeName}.` : null}
      </p>
      <p>
        <a className="landing__cta" href={siteUrl}>
          Continue to Syntropy Health
        </a>
      </p>
    </main>
  );
}
