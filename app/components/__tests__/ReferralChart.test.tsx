// The admin home's chart is drawn on the server as one labelled image: its summary says what a
// sighted reader sees (period, totals, busiest day), nothing in it takes focus, and its scale
// fits the figures.
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { describeChart, niceCeiling, ReferralChart } from "~/components/ReferralChart";
import type { DailyReferralStats } from "~/models/referral-stats.server";

function days(clicks: number[], signups: number[]): DailyReferralStats[] {
  return clicks.map((value, index) => ({
    date: `2026-11-${String(index + 1).padStart(2, "0")}`,
    clicks: value,
    signups: signups[index] ?? 0,
    activations: 0,
  }));
}

describe("ReferralChart", () => {
  it("renders on the server as one image named by its summary, with one control", () => {
    // GIVEN 90 days of figures
    const daily = days(
      Array.from({ length: 90 }, (_, index) => (index * 7) % 23),
      Array.from({ length: 90 }, (_, index) => index % 3),
    );
    // WHEN the chart is rendered as a document request renders it
    const html = renderToString(
      <AppProvider i18n={en}>
        <ReferralChart daily={daily.slice(0, 30)} />
      </AppProvider>,
    );
    // THEN it is one role="img" with the summary as its name, and the table's toggle is the
    // only thing that can take focus (no point of the line is a Tab stop)
    expect(html.match(/role="img"/g)).toHaveLength(1);
    expect(html).toContain(`aria-label="${describeChart(daily.slice(0, 30))}"`);
    expect(html.match(/<button/g)).toHaveLength(1);
    expect(html).toContain('aria-expanded="false"');
    expect(html).not.toMatch(/tabindex="0"/);
    expect(html.match(/<polyline/g)).toHaveLength(2);
  });

  it("summarizes the period, the totals and the busiest day", () => {
    expect(describeChart(days([3, 12, 5], [0, 2, 1]))).toBe(
      "Line chart of daily clicks and sign-ups over 3 days, 2026-11-01 to 2026-11-03: " +
        "20 clicks and 3 sign-ups in total. Most clicks on 2026-11-02: 12.",
    );
    expect(describeChart(days([0, 0], [0, 0]))).toContain("No clicks in this period.");
    expect(describeChart([])).toBe("Daily clicks and sign-ups: no days to show.");
  });

  it("scales to a round ceiling above the largest figure, in whole grid steps", () => {
    expect(niceCeiling(0)).toBe(4);
    expect(niceCeiling(7)).toBe(8);
    expect(niceCeiling(38)).toBe(40);
    expect(niceCeiling(100)).toBe(100);
    expect(niceCeiling(101)).toBe(200);
    expect(niceCeiling(1234)).toBe(2000);
    for (const value of [1, 9, 17, 99, 101, 4567]) {
      expect(niceCeiling(value)).toBeGreaterThanOrEqual(value);
      expect(niceCeiling(value) % 4).toBe(0);
    }
  });
});
