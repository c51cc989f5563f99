// What an admin analytics page was asked for: the date range (?range=…&from=&to=, in the
// store's days) of the home and the Performance page (and its CSV), and the Performance page's
// dimension (?dimension=). A value that is not one becomes a message the page shows beside its
// control (a 400 that still renders the page), never a 500.
import { REFERRAL_CHANNEL_LABELS } from "~/components/labels";
import { localDay } from "~/lib/infra/time-zone";
import {
  BREAKDOWN_DIMENSIONS,
  isBreakdownDimension,
  NONE_VALUE,
  OTHER_VALUE,
  parseRangeParams,
  presetRange,
  type BreakdownDimension,
  type DayRange,
  type RangePreset,
} from "~/models/performance";

/** What a page shows when its range is not valid: the default 30 days, and the message. */
export const DEFAULT_PRESET: RangePreset = "30d";

export type RangeSelection =
  | { today: string; range: DayRange; preset: RangePreset | "custom" }
  | { today: string; error: string; fallback: DayRange };

export function selectedRange(
  params: URLSearchParams,
  timeZone: string,
  now: Date = new Date(),
): RangeSelection {
  const today = localDay(now, timeZone);
  const parsed = parseRangeParams(params, today, timeZone);
  if ("error" in parsed) {
    const error = `${parsed.error.charAt(0).toUpperCase()}${parsed.error.slice(1)}.`;
    return { today, error, fallback: presetRange(DEFAULT_PRESET, today, timeZone) };
  }
  return { today, ...parsed };
}

/** The values a breakdown table shows at most: the rest is folded into "other". */
export const BREAKDOWN_LIMIT = 50;

export const DEFAULT_DIMENSION: BreakdownDimension = "channel";

export type DimensionSelection = { dimension: BreakdownDimension } | { error: string };

/** ?dimension= (absent: channel); anything else than a dimension's name is an error. */
export function selectedDimension(params: URLSearchParams): DimensionSelection {
  const value = params.get("dimension");
  if (value === null || value === "") return { dimension: DEFAULT_DIMENSION };
  return isBreakdownDimension(value)
    ? { dimension: value }
    : { error: `Choose a breakdown from the list (one of ${BREAKDOWN_DIMENSIONS.join(", ")}).` };
}

/**
 * A breakdown value as the page shows it: a channel's label, the folded tail, none given.
 * Labelled on the server, so that the browser needs no runtime value of ~/models/performance.
 */
export function breakdownValueLabel(dimension: BreakdownDimension, value: string): string {
  if (value === OTHER_VALUE) return "Other values (the long tail, folded)";
  if (value === NONE_VALUE) return dimension === "referrer" ? "No referring site" : "Not set";
  if (dimension === "channel" && value in REFERRAL_CHANNEL_LABELS) {
    return REFERRAL_CHANNEL_LABELS[value as keyof typeof REFERRAL_CHANNEL_LABELS];
  }
  return value;
}
