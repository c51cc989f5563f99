// The interface every identity provider implements (Clerk; the demo identity of local previews),
// so that the attribution code (attribution.server.ts) is the same for all of them. Types only:
// the providers import it, and identity.server.ts chooses one, without importing each other.

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
  /**
   * The user's e-mail addresses (primary first), for the sign-up quality checks only: never
   * stored. Throws when unreachable.
   */
  getEmailAddresses(userId: string): Promise<string[]>;
}
