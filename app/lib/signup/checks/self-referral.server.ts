// Self-referral: the new user's e-mail is the store owner's, or shares its domain when that
// domain is not a public mail provider (a company's own domain: a colleague signing up through
// the shop's link). The owner's addresses are kept only as keyed hashes, plus their domain when
// it is not a public provider (docs/decisions/0014-signup-quality-checks.md).
import { keyedHash } from "~/lib/infra/keyed-hash.server";
import { parseEmailAddress, type EmailAddress } from "~/lib/signup/checks/email-address";
import { isPublicMailDomain } from "~/lib/signup/checks/mail-domains.server";
import type { FlagReason } from "~/lib/signup/checks/reasons";

/** What a store keeps of its owner's e-mail addresses (Shopify's shop e-mail and contact e-mail). */
export interface OwnerEmailFingerprint {
  emailHashes: string[];
  emailDomains: string[];
}

function hashOwnerEmail(address: EmailAddress): string {
  return keyedHash("owner-email", address.address).slice(0, 32);
}

/** The fingerprint of the owner's addresses (unreadable ones skipped, duplicates merged). */
export function ownerEmailFingerprint(
  addresses: ReadonlyArray<string | null | undefined>,
): OwnerEmailFingerprint {
  const hashes = new Set<string>();
  const domains = new Set<string>();
  for (const raw of addresses) {
    const parsed = parseEmailAddress(raw);
    if (!parsed) continue;
    hashes.add(hashOwnerEmail(parsed));
    if (!isPublicMailDomain(parsed.domain)) domains.add(parsed.domain);
  }
  return { emailHashes: [...hashes], emailDomains: [...domains] };
}

/** A self-referral reason for one of the new user's addresses, or null. */
export function checkSelfReferral(
  emails: readonly EmailAddress[],
  owner: OwnerEmailFingerprint,
): FlagReason | null {
  if (emails.some((email) => owner.emailHashes.includes(hashOwnerEmail(email)))) {
    return "self_referral_email";
  }
  if (
    emails.some(
      (email) => owner.emailDomains.includes(email.domain) && !isPublicMailDomain(email.domain),
    )
  ) {
    return "self_referral_domain";
  }
  return null;
}
