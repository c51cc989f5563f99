// /sign-in/*: Clerk's sign-in, or, in previews without Clerk keys, the demo identity's form.
// Signing in attributes nothing (only a sign-up goes through /auth/complete).
import { ClerkProvider, SignIn } from "@clerk/remix";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";

import { DemoIdentityForm } from "~/demo/identity/DemoIdentityForm";
import { getEnv } from "~/env.server";
import { AUTH_COMPLETE_PATH, clerkPageLoader, SIGN_UP_PATH } from "~/lib/signup/clerk.server";
import { demoSessionCookie } from "~/demo/identity/demo-identity.server";
import { getDemoUserByEmail } from "~/demo/models/demo-user.server";
import { demoIdentityFormSchema } from "~/demo/identity/schema";
import styles from "~/styles/landing.css";

export const links = () => [{ rel: "stylesheet", href: styles }];

type SignInPageData =
  | {
      mode: "clerk";
      clerkState: Parameters<typeof ClerkProvider>[0]["clerkState"];
      afterSignInUrl: string;
    }
  | { mode: "demo" };

export async function loader(args: LoaderFunctionArgs) {
  const env = getEnv();
  if (env.clerkEnabled) {
    return clerkPageLoader(args, { mode: "clerk", afterSignInUrl: env.POST_SIGNUP_URL });
  }
  if (env.demoFeaturesEnabled) return json({ mode: "demo" });
  throw new Response("Not found", { status: 404 });
}

export async function action({ request }: ActionFunctionArgs) {
  const env = getEnv();
  if (env.clerkEnabled || !env.demoFeaturesEnabled) {
    throw new Response("Not found", { status: 404 });
  }
  const parsed = demoIdentityFormSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    return json({ error: "Enter a valid e-mail address." }, { status: 400 });
  }
  const user = await getDemoUserByEmail({ email: parsed.data.email });
  if (!user) {
    return json({ error: "No demo account uses this e-mail: create one first." }, { status: 400 });
  }
  return redirect(env.POST_SIGNUP_URL, {
    headers: { "Set-Cookie": demoSessionCookie(user.id) },
  });
}

export default function SignInPage() {
  const data = useLoaderData() as SignInPageData;
  const actionData = useActionData<typeof action>();
  return (
    <main className="landing">
      <h1>Sign in to Syntropy Health</h1>
      {data.mode === "demo" ? (
        <DemoIdentityForm intent="sign-in" error={actionData?.error} />
      ) : (
        <ClerkProvider clerkState={data.clerkState}>
          <SignIn
            signUpUrl={SIGN_UP_PATH}
            forceRedirectUrl={data.afterSignInUrl}
            signUpForceRedirectUrl={AUTH_COMPLETE_PATH}
          />
        </ClerkProvider>
      )}
    </main>
  );
}
