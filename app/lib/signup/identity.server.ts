// Who signed up: Clerk in production; in previews without Clerk keys, the local preview's demo
// identity (reached through its gate, app/demo/index.server.ts). Both implement IdentityProvider
// (identity-provider.ts), so the attribution code is the same for both, and the demo exercises
// exactly what production runs.
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
