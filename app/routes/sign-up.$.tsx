// /sign-up/*: Clerk's sign-up (the referral code and signed click id go along as unsafe
// metadata, for the user.created webhook), or, in previews without Clerk keys, the demo
// identity's form. Either way the new user then goes through /auth/complete.
import { ClerkProvider, SignUp } from "@clerk/remix";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";

import { DemoIdentityForm } from "~/demo/identity/DemoIdentityForm";
import { getEnv } from "~/env.server";
import { AUTH_COMPLETE_PATH, clerkPageLoader, SIGN_IN_PATH } from "~/lib/signup/clerk.server";
import { demoSessionCookie } from "~/demo/identity/demo-identity.server";
import { readReferralCookies } from "~/lib/referral-links/cookie.server";
import { createDemoUser } from "~/demo/models/demo-user.server";
import { demoIdentityFormSchema } from "~/demo/identity/schema";
import styles from "~/styles/landing.css";

export const links = () => [{ rel: "stylesheet", href: styles }];

type SignUpPageData =
  | {
      mode: "clerk";
      clerkState: Parameters<typeof ClerkProvider>[0]["clerkState"];
      referralCode: string | null;
      signedClickId: string | null;
      afterSignInUrl: string;
    }
  | { mode: "demo"; referralCode: string | null };

export async function loader(args: LoaderFunctionArgs) {
  const env = getEnv();
  const { referralCode, signedClickId } = readReferralCookies(args.request.headers.get("cookie"));
  if (env.clerkEnabled) {
    return clerkPageLoader(args, {
      mode: "clerk",
      referralCode,
      signedClickId,
      afterSignInUrl: env.POST_SIGNUP_URL,
    });
  }
  if (env.demoFeaturesEnabled) return json({ mode: "demo", referralCode });
  throw new Response("Not found", { status: 404 });
}

export async function action({ request }: ActionFunctionArgs) {
  const env = getEnv();
  // The demo identity only: with Clerk (always in production) nothing is posted here.
  if (env.clerkEnabled || !env.demoFeaturesEnabled) {
    throw new Response("Not found", { status: 404 });
  }
  const parsed = demoIdentityFormSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    return json({ error: "Enter a valid e-mail address." }, { status: 400 });
  }
  const { referralCode } = readReferralCookies(request.headers.get("cookie"));
  const user = await createDemoUser({ email: parsed.data.email, referralCode });
  return redirect(AUTH_COMPLETE_PATH, {
    headers: { "Set-Cookie": demoSessionCookie(user.id) },
  });
}

export default function SignUpPage() {
  const data = useLoaderData() as SignUpPageData;
  const actionData = useActionData<typeof action>();
  return (
    <main className="landing">
      <h1>Create your Syntropy Health account</h1>
      {data.mode === "demo" ? (
        <DemoIdentityForm
          intent="sign-up"
          referralCode={data.referralCode}
          error={actionData?.error}
        />
      ) : (
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
      )}
    </main>
  );
}
