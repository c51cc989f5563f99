// The demo identity's sign-up / sign-in form (local previews without Clerk keys only).
import { Form, useNavigation } from "@remix-run/react";

export function DemoIdentityForm({
  intent,
  error,
}: {
  intent: "sign-up" | "sign-in";
  error?: string | null;
}) {
  const submitting = useNavigation().state === "submitting";
  return (
    <>
      <p className="demo-notice" role="note">
        <strong>Demo identity for local previews.</strong> Clerk is not configured, so this form
        stands in for Clerk&apos;s {intent === "sign-up" ? "sign-up" : "sign-in"}: no password, no
        e-mail is sent. Production always uses Clerk.
      </p>
      <Form method="post" className="demo-form">
        <label htmlFor="email">E-mail</label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "email-error" : undefined}
        />
        {error ? (
          <p id="email-error" className="demo-form__error">
            {error}
          </p>
        ) : null}
        <button className="landing__cta" type="submit" disabled={submitting}>
          {intent === "sign-up" ? "Create demo account" : "Sign in"}
        </button>
      </Form>
    </>
  );
}
