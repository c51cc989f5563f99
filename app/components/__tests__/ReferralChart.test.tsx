// The admin home's chart is drawn on the server as one labelled image: its summary says what a
// sighted reader sees (period, totals, busiest day), nothing in it takes focus, and its scale
// fits the figures.
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { describeChart, niceCeiling, ReferralChart } from "~/components/ReferralChart";
import type { DailyPoint } from "~/models/performance";

const UTC_EN = { locale: "en-US", timeZone: "UTC" };

function days(clicks: number[], signups: number[]): DailyPoint[] {
  return clicks.map((value, index) => ({
    day: `2026-11-${String(index + 1).padStart(2, "0")}`,
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
    expect(html).toContain(`aria-label="${describeChart(daily.slice(0, 30), UTC_EN)}"`);
    expect(html.match(/<button/g)).toHaveLength(1);
    expect(html).toContain('aria-expanded="false"');
    expect(html).not.toMatch(/tabindex="0"/);
    expect(html.match(/<polyline/g)).toHaveLength(2);
  });

  it("gives clicks and sign-ups a scale each, so that a few sign-ups are not a flat line", () => {
    // GIVEN days of hundreds of clicks and a few sign-ups
    const daily = days([400, 250, 310], [3, 7, 5]);
    // WHEN the chart is rendered
    const html = renderToString(
      <AppProvider i18n={en}>
        <ReferralChart daily={daily} />
      </AppProvider>,
    );
    // THEN the left axis goes to 400 clicks, the right one to 8 sign-ups, and the sign-ups'
    // busiest day reaches near the top of the plot (y 25 of 200), not the bottom
    expect(html).toContain("Clicks (left axis)");
    expect(html).toContain("Sign-ups (right axis)");
    const axes = [...html.matchAll(/referral-chart__y-axis[^"]*"[^>]*>(.*?)<\/div>/g)].map(
      (match) => [...match[1]!.matchAll(/<span>([^<]*)<\/span>/g)].map((span) => span[1]),
    );
    expect(axes).toEqual([
      ["400", "300", "200", "100", "0"],
      ["8", "6", "4", "2", "0"],
    ]);
    const polylines = [...html.matchAll(/<polyline points="([^"]+)"/g)].map((match) => match[1]);
    expect(polylines[1]).toContain("500.0,25.0");
  });

  it("summarizes the period, the totals and the busiest day", () => {
    expect(describeChart(days([3, 12, 5], [0, 2, 1]), UTC_EN)).toBe(
      "Line chart of daily clicks and sign-ups over 3 days (UTC), Nov 1, 2026 to Nov 3, 2026: " +
        "20 clicks and 3 sign-ups in total. Most clicks on Nov 2, 2026: 12.",
    );
    expect(describeChart(days([0, 0], [0, 0]), UTC_EN)).toContain("No clicks in this period.");
    expect(describeChart([], UTC_EN)).toBe("Daily clicks and sign-ups: no days to show.");
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
