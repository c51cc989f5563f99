// The change of a figure against the previous period of the same length, in words as well as
// colour (an arrow and "vs previous period"), shared by the home's cards and the Performance page.

export type ChangeTone = "success" | "critical" | "subdued";

export interface Change {
  /** "+12%", "−3%", "No change", "New" (nothing in the previous period). */
  text: string;
  /** The same, for a screen reader and a tooltip: "up 12% from 25". */
  description: string;
  tone: ChangeTone;
}

const number = new Intl.NumberFormat("en-US");
const percent = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const points = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const MINUS = "\u2212";

/** The change of a count, in percent of the previous period's. */
export function countChange(current: number, previous: number): Change {
  if (current === previous) {
    return {
      text: "No change",
      description: `same as before (${number.format(previous)})`,
      tone: "subdued",
    };
  }
  if (previous === 0) {
    return { text: "New", description: "none in the previous period", tone: "success" };
  }
  const ratio = ((current - previous) / previous) * 100;
  const shown = percent.format(Math.abs(ratio));
  const up = ratio > 0;
  return {
    text: `${up ? "+" : MINUS}${shown}%`,
    description: `${up ? "up" : "down"} ${shown}% from ${number.format(previous)}`,
    tone: up ? "success" : "critical",
  };
}

/** The change of a rate (percent), in percentage points. */
export function rateChange(current: number, previous: number): Change {
  const difference = Math.round((current - previous) * 10) / 10;
  if (difference === 0) {
    return {
      text: "No change",
      description: `same as before (${points.format(previous)}%)`,
      tone: "subdued",
    };
  }
  const shown = points.format(Math.abs(difference));
  const up = difference > 0;
  return {
    text: `${up ? "+" : MINUS}${shown} pts`,
    description: `${up ? "up" : "down"} ${shown} percentage points from ${points.format(previous)}%`,
    tone: up ? "success" : "critical",
  };
}
