// /demo/sign-in: the demo identity's sign-in, where production's /sign-in sends a visitor when
// Clerk has no keys (local previews only; 404 otherwise). Signing in attributes nothing (only a
// sign-up goes through /auth/complete).
import type { ActionFunctionArgs, LinksFunction, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";

import { DemoIdentityForm } from "~/demo/identity/DemoIdentityForm";
import { demoSessionCookie, requireDemoIdentity } from "~/demo/identity/demo-identity.server";
import styles from "~/demo/identity/demo-identity.css";
import { demoIdentityFormSchema } from "~/demo/identity/schema";
import { getDemoUserByEmail } from "~/demo/models/demo-user.server";
import { getEnv } from "~/env.server";
import { FORM_MAX_BYTES, readForm } from "~/lib/infra/request-body.server";
import landingStyles from "~/styles/landing.css";

export const meta: MetaFunction = () => [{ title: "Sign in — Syntropy Health (demo)" }];

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: landingStyles },
  { rel: "stylesheet", href: styles },
];

export async function loader() {
  requireDemoIdentity();
  return json({ mode: "demo" as const });
}

export async function action({ request }: ActionFunctionArgs) {
  requireDemoIdentity();
  const parsed = demoIdentityFormSchema.safeParse(
    Object.fromEntries(await readForm(request, FORM_MAX_BYTES)),
  );
  if (!parsed.success) {
    return json({ error: "Enter a valid e-mail address." }, { status: 400 });
  }
  const user = await getDemoUserByEmail({ email: parsed.data.email });
  if (!user) {
    return json({ error: "No demo account uses this e-mail: create one first." }, { status: 400 });
  }
  return redirect(getEnv().POST_SIGNUP_URL, {
    headers: { "Set-Cookie": demoSessionCookie(user.id) },
  });
}

export default function DemoSignInPage() {
  const actionData = useActionData<typeof action>();
  return (
    <main className="landing">
      <h1>Sign in to Syntropy Health</h1>
      <DemoIdentityForm intent="sign-in" error={actionData?.error} />
    </main>
  );
}
