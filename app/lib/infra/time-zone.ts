// Local days in a shop's IANA time zone, computed the way PostgreSQL computes them, so that a day
// the admin or the Integration API names and the rollup row it reads are the same day. Pure (Intl
// only): the browser imports it too. Property-tested against PostgreSQL's own AT TIME ZONE
// (app/lib/infra/__tests__/time-zone.test.ts).

export const DEFAULT_TIME_ZONE = "UTC";

const DAY_MS = 86_400_000;

// What an IANA name looks like: "UTC", "America/Argentina/Buenos_Aires", "Etc/GMT+5". Intl also
// accepts "utc" or "america/new_york" (case-insensitive), and PostgreSQL would read "+05:30" as a
// POSIX zone with the sign inverted: only the spelled-out names pass.
const IANA_NAME = /^[A-Z][A-Za-z0-9_+-]*(?:\/[A-Z0-9][A-Za-z0-9_+-]*){0,2}$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** A valid IANA zone name, spelled as the tz database spells it (e.g. "Asia/Kolkata", "UTC"). */
export function isTimeZone(value: string): boolean {
  if (value.length > 64 || !IANA_NAME.test(value)) return false;
  try {
    formatter(value);
    return true;
  } catch {
    return false;
  }
}

/** The local wall-clock time of `instant` in `timeZone`, as milliseconds of a UTC clock. */
function wallClock(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  );
  // Date.UTC reads years 0-99 as 1900-1999; the supported days start in 1970 anyway.
  return wall + (instant - Math.floor(instant / 1000) * 1000);
}

/** The zone's offset from UTC at `instant`, in milliseconds (local = instant + offset). */
function offsetAt(instant: number, timeZone: string): number {
  return wallClock(instant, timeZone) - instant;
}

/**
 * The zone's offset from UTC at `instant`, in minutes (330 in Asia/Kolkata, -480 in Los Angeles
 * in winter; a fraction for the few zones whose offset had seconds then, e.g. Monrovia's
 * -44.5 until 1972).
 */
export function offsetMinutes(instant: Date, timeZone: string): number {
  return offsetAt(instant.getTime(), timeZone) / 60_000;
}

function dayOfUtcMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The local day (YYYY-MM-DD) `instant` falls on in `timeZone`. */
export function localDay(instant: Date, timeZone: string): string {
  return dayOfUtcMs(wallClock(instant.getTime(), timeZone));
}

/**
 * The first instant of a local day, exactly as PostgreSQL's `(day::timestamp AT TIME ZONE zone)`:
 * where midnight happens twice (clocks go back at midnight) the later one; where it does not exist
 * (clocks go forward at midnight, e.g. America/Havana, or a skipped day such as Pacific/Apia's
 * 2011-12-30) midnight read with the offset in force before the change, which is the instant the
 * day's clocks start.
 */
export function startOfLocalDay(day: string, timeZone: string): Date {
  const wall = Date.parse(`${day}T00:00:00.000Z`);
  if (Number.isNaN(wall)) throw new RangeError(`Not a day: ${day}`);
  // A change of offset near that midnight is within a day of it on either side.
  const offsetBefore = offsetAt(wall - DAY_MS, timeZone);
  const offsetAfter = offsetAt(wall + DAY_MS, timeZone);
  const before = wall - offsetBefore;
  if (offsetBefore === offsetAfter) return new Date(before);
  const after = wall - offsetAfter;
  // PostgreSQL (DetermineTimeZoneOffset): an ambiguous time takes the "after" reading, a
  // nonexistent one the "before" reading.
  return new Date(wallClock(after, timeZone) === wall ? after : before);
}

/** The day `amount` days after `day` (before, if negative), YYYY-MM-DD. */
export function addDays(day: string, amount: number): string {
  return dayOfUtcMs(Date.parse(`${day}T00:00:00.000Z`) + amount * DAY_MS);
}

/** Days from `from` to `to`, both included (1 for the same day; 0 or less if `to` < `from`). */
export function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00.000Z`) - Date.parse(`${from}T00:00:00.000Z`)) / DAY_MS + 1;
}
