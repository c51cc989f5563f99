// /demo/sign-up: the demo identity's sign-up, where production's /sign-up sends a visitor when
// Clerk has no keys (local previews only; 404 otherwise). The new demo user then goes through
// /auth/complete, exactly as a Clerk user does.
import type {
  ActionFunctionArgs,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";

import { DemoIdentityForm } from "~/demo/identity/DemoIdentityForm";
import { demoSessionCookie, requireDemoIdentity } from "~/demo/identity/demo-identity.server";
import styles from "~/demo/identity/demo-identity.css";
import { demoIdentityFormSchema } from "~/demo/identity/schema";
import { createDemoUser } from "~/demo/models/demo-user.server";
import { FORM_MAX_BYTES, readForm } from "~/lib/infra/request-body.server";
import { readReferralCookies } from "~/lib/referral-links/cookie.server";
import { activeStoreNameOf } from "~/lib/referral-links/store-name.server";
import { AUTH_COMPLETE_PATH } from "~/lib/signup/clerk.server";
import landingStyles from "~/styles/landing.css";

export const meta: MetaFunction = () => [{ title: "Create your account — Syntropy Health (demo)" }];

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: landingStyles },
  { rel: "stylesheet", href: styles },
];

export async function loader({ request }: LoaderFunctionArgs) {
  requireDemoIdentity();
  const { referralCode } = readReferralCookies(request.headers.get("cookie"));
  return json({ mode: "demo" as const, storeName: await activeStoreNameOf(referralCode) });
}

export async function action({ request }: ActionFunctionArgs) {
  requireDemoIdentity();
  const parsed = demoIdentityFormSchema.safeParse(
    Object.fromEntries(await readForm(request, FORM_MAX_BYTES)),
  );
  if (!parsed.success) {
    return json({ error: "Enter a valid e-mail address." }, { status: 400 });
  }
  const { referralCode } = readReferralCookies(request.headers.get("cookie"));
  const user = await createDemoUser({ email: parsed.data.email, referralCode });
  return redirect(AUTH_COMPLETE_PATH, {
    headers: { "Set-Cookie": demoSessionCookie(user.id) },
  });
}

export default function DemoSignUpPage() {
  const { storeName } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <main className="landing">
      <h1>Create your Syntropy Health account</h1>
      {storeName ? <p>You are joining through {storeName}.</p> : null}
      <DemoIdentityForm intent="sign-up" error={actionData?.error} />
    </main>
  );
}
