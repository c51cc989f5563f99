// Disposable (throwaway) e-mail domains, from a maintained list (mail-domains.server.ts).
import type { EmailAddress } from "~/lib/signup/checks/email-address";
import { isDisposableMailDomain } from "~/lib/signup/checks/mail-domains.server";
import type { FlagReason } from "~/lib/signup/checks/reasons";

export function checkDisposableEmail(emails: readonly EmailAddress[]): FlagReason | null {
  return emails.some((email) => isDisposableMailDomain(email.domain)) ? "disposable_email" : null;
}
