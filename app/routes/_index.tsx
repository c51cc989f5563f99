import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

import { readReferralCookies } from "~/lib/referral-links/cookie.server";
import { activeStoreNameOf } from "~/lib/referral-links/store-name.server";
import { resolveReferralVisit } from "~/lib/referral-links/visit.server";
import { validateReferralCode } from "~/models/referral-code";
import { clientAddressOf } from "~/server/load-context";
import styles from "~/styles/landing.css";

export const meta: MetaFunction = () => [
  { title: "Syntropy Health — join through your local store" },
  {
    name: "description",
    content: "Your health store partners with Syntropy Health. Sign up with their referral link.",
  },
];

export const links = () => [{ rel: "stylesheet", href: styles }];

// The referral cookies and no-store set by the loader must reach the document response.
export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const headers = new Headers();
  const cacheControl = loaderHeaders.get("Cache-Control");
  if (cacheControl) headers.set("Cache-Control", cacheControl);
  for (const cookie of loaderHeaders.getSetCookie()) headers.append("Set-Cookie", cookie);
  return headers;
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  // Shopify opens the app at / with ?shop=…: that visit belongs to the embedded admin.
  if (url.searchParams.get("shop")) {
    throw redirect(`/app?${url.searchParams.toString()}`);
  }
  const refParameter = url.searchParams.get("ref");
  // Name the store of the link just followed, or of the code kept by a /r/ link's cookie.
  const codeToName =
    validateReferralCode(refParameter) ??
    readReferralCookies(request.headers.get("cookie")).referralCode;
  const [visit, storeName] = await Promise.all([
    refParameter === null
      ? null
      : resolveReferralVisit({
          method: request.method,
          code: refParameter,
          query: url.searchParams,
          pathAndQuery: `${url.pathname}${url.search}`,
          userAgent: request.headers.get("user-agent"),
          forwardedFor: request.headers.get("x-forwarded-for"),
          clientAddress: clientAddressOf(context),
          referer: request.headers.get("referer"),
        }),
    activeStoreNameOf(codeToName),
  ]);
  const headers = new Headers();
  if (visit) {
    headers.set("Cache-Control", "private, no-store");
    for (const cookie of visit.setCookies) headers.append("Set-Cookie", cookie);
  }
  return json({ storeName }, { headers });
}

export default function Landing() {
  const { storeName } = useLoaderData<typeof loader>();
  return (
    <main className="landing">
      <h1>Syntropy Health</h1>
      <p>
        {storeName ? (
          <>
            <strong>{storeName}</strong> partners with Syntropy Health.
          </>
        ) : (
          "Your local health store partners with us."
        )}{" "}
        Create your free account to get started.
      </p>
      <a className="landing__cta" href="/sign-up">
        Create your account
      </a>
      <p className="landing__secondary">
        Already have an account? <a href="/sign-in">Sign in</a>
      </p>
    </main>
  );
}
