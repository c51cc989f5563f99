// Who signed up: Clerk in production, the local demo identity in previews without Clerk keys.
// Both sit behind one interface, so the attribution code (signup-attribution.server.ts) is the
// same for both, and the demo exercises exactly what production runs.
import { getEnv } from "~/env.server";
import { clerkIdentity } from "~/lib/signup/clerk.server";
import { demoIdentity } from "~/demo/identity/demo-identity.server";

export interface IdentityRequest {
  request: Request;
  context: unknown;
}

export interface IdentityProvider {
  readonly kind: "clerk" | "demo";
  /**
   * The signed-in user's id, or null. Clerk may throw a redirect Response (its handshake, to
   * refresh an expired session token): let it propagate.
   */
  getSignedInUserId(request: IdentityRequest): Promise<string | null>;
  /** The user's referral_source (public metadata), or null. Throws when unreachable. */
  getReferralSource(userId: string): Promise<string | null>;
  /** Sets referral_source in the user's public metadata, keeping the other keys. */
  setReferralSource(userId: string, referralCode: string): Promise<void>;
}

/** Clerk when configured; otherwise the demo identity, which production never offers. */
export function getIdentityProvider(): IdentityProvider | null {
  const env = getEnv();
  if (env.clerkEnabled) return clerkIdentity;
  if (env.demoFeaturesEnabled) return demoIdentity;
  return null;
}
