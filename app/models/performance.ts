// The shapes of a store's performance figures (ranges of local days, breakdowns by channel and
// campaign, daily series) and the range arithmetic both the server and the admin use. No server
// imports: the browser imports it. The figures are read by app/models/store-performance.server.ts.
import { addDays, daysBetween } from "~/lib/infra/time-zone";
import { DAY_MAX, DAY_MIN } from "~/schemas/day-bounds";

export const BREAKDOWN_DIMENSIONS = [
  "channel",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "referrer",
] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];

export function isBreakdownDimension(value: string): value is BreakdownDimension {
  return (BREAKDOWN_DIMENSIONS as readonly string[]).includes(value);
}

/** Inclusive range of local days (YYYY-MM-DD) in an IANA zone. */
export interface DayRange {
  from: string;
  to: string;
  timeZone: string;
}

export interface FunnelCounts {
  clicks: number;
  signups: number;
  activations: number;
}

export interface FunnelWithRate extends FunnelCounts {
  /** Sign-ups per click in percent, two decimals; 0 without clicks. */
  conversionRate: number;
}

export interface PeriodPair {
  current: FunnelWithRate;
  previous: FunnelWithRate;
}

export interface RangeSummary extends PeriodPair {
  range: DayRange;
  previousRange: DayRange;
}

export interface BreakdownRow extends PeriodPair {
  /** The normalised value; OTHER_VALUE for the folded tail, NONE_VALUE when absent. */
  value: string;
}

export interface Breakdown {
  dimension: BreakdownDimension;
  range: DayRange;
  previousRange: DayRange;
  /** Every value of the dimension in the current range, or past `limit` folded into OTHER_VALUE. */
  rows: BreakdownRow[];
  /** The store's totals: the rows add up to them (for the current and the previous period). */
  totals: PeriodPair;
}

export interface DailyPoint {
  day: string;
  clicks: number;
  signups: number;
  activations: number;
}

/** The values past the per-day bound (or past a breakdown's limit), counted together. */
export const OTHER_VALUE = "(other)";
/** A click without that parameter (no utm_campaign, no Referer). */
export const NONE_VALUE = "(none)";

export type RangePreset = "7d" | "30d" | "90d" | "365d" | "mtd";
export const RANGE_PRESETS: readonly RangePreset[] = ["7d", "30d", "90d", "365d", "mtd"];
export const DEFAULT_RANGE_PRESET: RangePreset = "30d";

/** The longest range a request may ask for, in days (three years). */
export const MAX_RANGE_DAYS = 366 * 3;

/** Sign-ups per click in percent with two decimals; 0 when there were no clicks. */
export function funnelConversionRate(clicks: number, signups: number): number {
  if (clicks <= 0) return 0;
  return Math.round((signups / clicks) * 10_000) / 100;
}

/** The change from `previous` to `current` in percent, one decimal; null when previous is 0. */
export function percentChange(current: number, previous: number): number | null {
  if (previous === 0) return null;
  return Math.round(((current - previous) / previous) * 1000) / 10;
}

export function withRate(counts: FunnelCounts): FunnelWithRate {
  return { ...counts, conversionRate: funnelConversionRate(counts.clicks, counts.signups) };
}

/** The previous period of the same length, immediately before. */
export function previousRange(range: DayRange): DayRange {
  const length = daysBetween(range.from, range.to);
  return {
    from: addDays(range.from, -length),
    to: addDays(range.from, -1),
    timeZone: range.timeZone,
  };
}

/** The range a preset means on `today` (a local day). */
export function presetRange(preset: RangePreset, today: string, timeZone: string): DayRange {
  if (preset === "mtd") return { from: `${today.slice(0, 8)}01`, to: today, timeZone };
  const length = Number(preset.slice(0, -1));
  return { from: addDays(today, -(length - 1)), to: today, timeZone };
}

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day (YYYY-MM-DD) inside the days the app supports. */
export function isSupportedDay(value: string): boolean {
  if (!DAY_PATTERN.test(value) || value < DAY_MIN || value > DAY_MAX) return false;
  const date = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * A range of local days from `from` to `to`, or why it is not one: real days, from <= to,
 * at most MAX_RANGE_DAYS long (`label` names the parameters in the message).
 */
export function checkDayRange(
  from: string,
  to: string,
  timeZone: string,
): { range: DayRange } | { error: string } {
  if (!isSupportedDay(from)) return { error: `from must be a date from ${DAY_MIN} to ${DAY_MAX}` };
  if (!isSupportedDay(to)) return { error: `to must be a date from ${DAY_MIN} to ${DAY_MAX}` };
  if (from > to) return { error: "from must not be after to" };
  if (daysBetween(from, to) > MAX_RANGE_DAYS) {
    return { error: `the range must be at most ${MAX_RANGE_DAYS} days` };
  }
  // The previous period must be a supported range too.
  if (addDays(from, -daysBetween(from, to)) < DAY_MIN) {
    return { error: `from must leave room for the previous period after ${DAY_MIN}` };
  }
  return { range: { from, to, timeZone } };
}

/**
 * Parse ?range=7d|30d|90d|365d|mtd|custom&from=&to= into a DayRange, or an error message.
 * No `range`: the default preset (30 days), or custom when `from` and `to` are given.
 */
export function parseRangeParams(
  params: URLSearchParams,
  today: string,
  timeZone: string,
): { range: DayRange; preset: RangePreset | "custom" } | { error: string } {
  const asked = params.get("range");
  const from = params.get("from");
  const to = params.get("to");
  const preset = asked ?? (from !== null || to !== null ? "custom" : DEFAULT_RANGE_PRESET);
  if (preset === "custom") {
    if (from === null || to === null) return { error: "a custom range needs from and to" };
    const checked = checkDayRange(from, to, timeZone);
    return "error" in checked ? checked : { range: checked.range, preset };
  }
  if (!(RANGE_PRESETS as readonly string[]).includes(preset)) {
    return { error: `range must be one of ${[...RANGE_PRESETS, "custom"].join(", ")}` };
  }
  return {
    range: presetRange(preset as RangePreset, today, timeZone),
    preset: preset as RangePreset,
  };
}
