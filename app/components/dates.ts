// The admin's one date format: days and times in the staff member's locale (Shopify's `locale`
// in the embedded URL, else the browser's Accept-Language), in the store's time zone, a time
// always followed by its zone. Browser-safe: the server renders with the same locale and zone
// that the layout's loader hands to the browser (DateFormatContext), so hydration matches.
// docs/decisions/0019-admin-dates-and-performance.md
import { createContext, useContext } from "react";

import { offsetMinutes } from "~/lib/infra/time-zone";

export interface DateFormatSettings {
  /** A BCP 47 tag Intl supports, e.g. "en-US", "fr". */
  locale: string;
  /** The store's IANA zone, e.g. "America/Los_Angeles". */
  timeZone: string;
}

export const FALLBACK_LOCALE = "en-US";

const MAX_LOCALE_LENGTH = 35;

/** A supported, canonical locale tag for `candidate`, or null. */
function supportedLocale(candidate: string | null | undefined): string | null {
  const tag = candidate?.trim();
  if (!tag || tag.length > MAX_LOCALE_LENGTH || tag === "*") return null;
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return canonical ? (Intl.DateTimeFormat.supportedLocalesOf([canonical])[0] ?? null) : null;
  } catch {
    return null;
  }
}

/**
 * The staff member's locale: Shopify's `locale` search parameter (the embedded admin's URL),
 * else the first supported language of Accept-Language, else en-US.
 */
export function resolveLocale(url: URL, acceptLanguage: string | null): string {
  const fromShopify = supportedLocale(url.searchParams.get("locale"));
  if (fromShopify) return fromShopify;
  for (const entry of (acceptLanguage ?? "").slice(0, 500).split(",").slice(0, 10)) {
    const tag = supportedLocale(entry.split(";")[0]);
    if (tag) return tag;
  }
  return FALLBACK_LOCALE;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions) {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formatters.set(key, cached);
  }
  return cached;
}

/**
 * ICU versions differ in the spaces they write (U+202F before "AM", U+2009 around a range's
 * dash, U+00A0): plain spaces everywhere, so that the server's text and the browser's are the
 * same whichever ICU each has (a differing text would be a hydration mismatch).
 */
function plainSpaces(text: string): string {
  return text.replace(/[\u00a0\u2009\u202f]/g, " ");
}

const DAY: Intl.DateTimeFormatOptions = { year: "numeric", month: "short", day: "numeric" };
const SHORT_DAY: Intl.DateTimeFormatOptions = { month: "short", day: "numeric" };
const TIME: Intl.DateTimeFormatOptions = {
  ...DAY,
  hour: "numeric",
  minute: "2-digit",
  timeZoneName: "short",
};

/** A local day (YYYY-MM-DD) as the instant of its noon in UTC: formatted in UTC, it is that day. */
function dayInstant(day: string): Date {
  const [year, month, date] = day.split("-").map(Number);
  return new Date(Date.UTC(year!, month! - 1, date!, 12));
}

/** A local day of the store, e.g. "Dec 1, 2026" (en-US) or "1 déc. 2026" (fr). */
export function formatDay(day: string, { locale }: Pick<DateFormatSettings, "locale">): string {
  return plainSpaces(formatter(locale, "UTC", DAY).format(dayInstant(day)));
}

/** A local day without its year, for a chart's axis: "Dec 1". */
export function formatShortDay(day: string, { locale }: Pick<DateFormatSettings, "locale">) {
  return plainSpaces(formatter(locale, "UTC", SHORT_DAY).format(dayInstant(day)));
}

/** Two local days as one range: "Nov 2 – Dec 1, 2026". */
export function formatDayRange(
  range: { from: string; to: string },
  { locale }: Pick<DateFormatSettings, "locale">,
): string {
  return plainSpaces(
    formatter(locale, "UTC", DAY).formatRange(dayInstant(range.from), dayInstant(range.to)),
  );
}

/** An instant in the store's zone, the zone said: "Dec 1, 2026, 4:14 AM PST". */
export function formatDateTime(instant: Date | string, settings: DateFormatSettings): string {
  return plainSpaces(formatter(settings.locale, settings.timeZone, TIME).format(new Date(instant)));
}

/** The zone as staff read it: "America/Los_Angeles (PST)", or "UTC". */
export function formatTimeZone(settings: DateFormatSettings, at: Date = new Date()): string {
  if (settings.timeZone === "UTC") return "UTC";
  const short = formatter(settings.locale, settings.timeZone, { timeZoneName: "short" })
    .formatToParts(at)
    .find((part) => part.type === "timeZoneName")?.value;
  return short && short !== settings.timeZone
    ? `${settings.timeZone} (${short})`
    : settings.timeZone;
}

/**
 * An instant as ISO 8601 with the zone's offset at that instant, to the second:
 * "2026-12-01T04:14:05-08:00" (what a CSV carries: exact, sortable, in the store's zone).
 */
export function isoInZone(instant: Date, timeZone: string): string {
  const wholeSeconds = Math.floor(instant.getTime() / 1000) * 1000;
  const offset = Math.round(offsetMinutes(instant, timeZone));
  const local = new Date(wholeSeconds + offset * 60_000).toISOString().slice(0, 19);
  if (offset === 0) return `${local}Z`;
  const sign = offset < 0 ? "-" : "+";
  const absolute = Math.abs(offset);
  const hours = String(Math.floor(absolute / 60)).padStart(2, "0");
  const minutes = String(absolute % 60).padStart(2, "0");
  return `${local}${sign}${hours}:${minutes}`;
}

/** The locale and zone of the admin's pages, provided by app/routes/app.tsx from its loader. */
export const DateFormatContext = createContext<DateFormatSettings>({
  locale: FALLBACK_LOCALE,
  timeZone: "UTC",
});

export function useDateFormat(): DateFormatSettings {
  return useContext(DateFormatContext);
}
