// Minimisation of what a click keeps of its URL (issue 13): the path and only the parameters the
// app understands (ref, channel, utm_*), and no UTM value that looks like a person's e-mail
// address or phone number (mailing tools put the subscriber's address in utm_content/utm_term).
// The migration 20261202130000_privacy_lifecycle applies the same rules to the rows stored before;
// app/lib/privacy/__tests__/source-url.test.ts checks that both agree.

/** What replaces a UTM value that looks like contact details. */
export const REDACTED_VALUE = "redacted";

/** The query parameters a stored source URL may keep, in the order they are written. */
export const KEPT_SOURCE_URL_PARAMETERS = [
  "ref",
  "channel",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
] as const;

// Anything@anything.tld, anywhere in the value; `%40` too (a value encoded twice).
const EMAIL = /[^\s@]+(?:@|%40)[^\s@.]+\.[^\s@]+/i;
// A run of digits with the separators phone numbers are written with.
const DIGIT_RUN = /\+?\(?\d[\d ().\-/]*\d/g;
const SEPARATED_DIGITS = /\d[ ().\-/]+\d/;
const DATE = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$/;

/**
 * True when a run of 7 to 15 digits is written like a phone number: with a leading `+`, with
 * separators between digits, or 10 digits or more. ISO-like dates (2026-12-01) and shorter plain
 * numbers (campaign ids such as 20261201) are not.
 */
function looksLikePhoneNumber(value: string): boolean {
  for (const match of value.matchAll(DIGIT_RUN)) {
    const run = match[0];
    const digits = run.replace(/\D/g, "").length;
    if (digits < 7 || digits > 15 || DATE.test(run)) continue;
    if (run.startsWith("+") || digits >= 10 || SEPARATED_DIGITS.test(run)) return true;
  }
  return false;
}

/** True when a free-text value (a UTM value) looks like an e-mail address or a phone number. */
export function looksLikeContactDetails(value: string): boolean {
  return EMAIL.test(value) || looksLikePhoneNumber(value);
}

/** The value, or REDACTED_VALUE when it looks like contact details. */
export function redactContactDetails(value: string): string {
  return looksLikeContactDetails(value) ? REDACTED_VALUE : value;
}

/**
 * The source URL a click keeps: `origin` + the visited path + the kept parameters, given already
 * validated (and redacted) by the visit's schema. Parameters absent or undefined are left out.
 */
export function minimisedSourceUrl(
  origin: string,
  path: string,
  parameters: Partial<Record<(typeof KEPT_SOURCE_URL_PARAMETERS)[number], string | undefined>>,
): string {
  let query = "";
  for (const name of KEPT_SOURCE_URL_PARAMETERS) {
    const value = parameters[name];
    if (value === undefined) continue;
    query += `${query ? "&" : "?"}${name}=${encodeURIComponent(value)}`;
  }
  return `${origin}${path}${query}`;
}

const REFERER_MAX_LENGTH = 4096;
const HOST_MAX_LENGTH = 253;
const IP_V4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * What a click keeps of its Referer header: the host only (e.g. `l.instagram.com`), lower-cased
 * by URL parsing, for the store's "referring sites" breakdown. The path and query of the page the
 * shopper came from (a search, a profile, a message thread) are never kept, nor an IP address
 * (a person's machine or network rather than a site), nor anything that is not an http(s) URL.
 */
export function referrerHostOf(referer: string | null | undefined): string | null {
  if (!referer || referer.length > REFERER_MAX_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(referer);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  const host = url.hostname.replace(/\.$/, "");
  if (!host || host.length > HOST_MAX_LENGTH || host.startsWith("[") || IP_V4.test(host)) {
    return null;
  }
  return host;
}
