// The e-mail address a check looks at: normalized once (trimmed, lower-cased, the domain in its
// ASCII form so that an IDN and its punycode spelling compare equal). Anything that is not an
// address gives null: the checks then say "not checked" rather than guess. Never throws.
import { domainToASCII } from "node:url";

import { isStorableText } from "~/schemas/primitives";

/** RFC 5321's limit on a forward path; longer input is not an address. */
const MAX_ADDRESS_LENGTH = 320;

// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

export interface EmailAddress {
  /** `local@domain`, lower case, the domain in ASCII (punycode). */
  address: string;
  /** The ASCII domain without a trailing dot. */
  domain: string;
}

export function parseEmailAddress(raw: unknown): EmailAddress | null {
  if (typeof raw !== "string" || raw.length > MAX_ADDRESS_LENGTH * 2) return null;
  // Lone surrogates and control characters (NUL included) are never part of an address.
  if (!isStorableText(raw) || CONTROL_CHARACTER.test(raw)) return null;
  const value = raw.trim().toLowerCase();
  const at = value.lastIndexOf("@");
  if (at <= 0 || at === value.length - 1) return null;
  const local = value.slice(0, at);
  if (/\s/.test(local)) return null;
  const domain = domainToASCII(value.slice(at + 1).replace(/\.$/, ""));
  // domainToASCII answers "" for what is not a host name.
  if (!domain || !domain.includes(".") || domain.length > 253) return null;
  const address = `${local}@${domain}`;
  return address.length <= MAX_ADDRESS_LENGTH ? { address, domain } : null;
}

/** The domain and each parent domain with at least two labels: a.b.example.com → … example.com. */
export function domainAndParents(domain: string): string[] {
  const labels = domain.split(".");
  const domains: string[] = [];
  for (let index = 0; index < labels.length - 1; index++) {
    domains.push(labels.slice(index).join("."));
  }
  return domains;
}
