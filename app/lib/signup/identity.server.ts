// Who signed up: Clerk in production; in previews without Clerk keys, the local preview's demo
// identity (reached through its gate, app/demo/index.server.ts). Both implement IdentityProvider
// (identity-provider.ts), so the attribution code is the same for both, and the demo exercises
// exactly what production runs.
import { redirect } from "@remix-run/node";

import { localPreview } from "~/demo/index.server";
import { getEnv } from "~/env.server";
import { clerkIdentity } from "~/lib/signup/clerk.server";
import type { IdentityProvider } from "~/lib/signup/identity-provider";

export type { IdentityProvider, IdentityRequest } from "~/lib/signup/identity-provider";

/** Clerk when configured; otherwise the local preview's identity, which production never offers. */
export function getIdentityProvider(): IdentityProvider | null {
  if (getEnv().clerkEnabled) return clerkIdentity;
  return localPreview()?.identity ?? null;
}

/**
 * The sign-up and sign-in pages show Clerk's components: null when Clerk has keys. Without them
 * the visitor is sent to the local preview's own form (the redirect returned), or gets a 404
 * when there is none (production always has Clerk keys).
 */
export function localIdentityRedirect(page: "sign-up" | "sign-in", request: Request) {
  if (getEnv().clerkEnabled) return null;
  const localForm = localPreview()?.identityFormUrl(page, request);
  if (localForm) return redirect(localForm);
  throw new Response("Not found", { status: 404 });
}
