// Which mail domains are throwaway (disposable) and which are public providers, from maintained
// list packages rather than hand-written lists:
// - disposable-email-domains-js: the disposable-email-domains project's blocklist (CC0), updated
//   with each release;
// - email-providers: the common free and public mail providers (gmail.com, gmx.de, proton.me, …).
// The sets are built once, on first use.
import { disposableEmailBlocklistSet } from "disposable-email-domains-js";
import publicMailProviders from "email-providers";

import { domainAndParents } from "~/lib/signup/checks/email-address";

let disposable: Set<string> | undefined;
let publicProviders: Set<string> | undefined;

/** True for a disposable domain or a subdomain of one (x.mailinator.com). */
export function isDisposableMailDomain(domain: string): boolean {
  disposable ??= disposableEmailBlocklistSet();
  return domainAndParents(domain).some((candidate) => disposable!.has(candidate));
}

/**
 * True for a public mail provider's domain (anyone can have an address there) and for
 * disposable ones: sharing such a domain says nothing about who a person is.
 */
export function isPublicMailDomain(domain: string): boolean {
  publicProviders ??= new Set(publicMailProviders);
  return publicProviders.has(domain) || isDisposableMailDomain(domain);
}
