// Daily clicks and sign-ups as one labelled image (a plain SVG drawn on the server: no chart
// library, nothing measured in the browser), with its figures as a table behind a button.
// Two scales: clicks on the left axis, sign-ups on the right one, so that a few sign-ups a day
// are as readable as hundreds of clicks (on one scale their line lay flat at the bottom).
// Screen readers get one summary and the table, keyboards one Tab stop; a mouse gets the day
// under the pointer. docs/decisions/0016-admin-accessibility-and-weight.md says why not polaris-viz.
import { BlockStack, Button, InlineStack, Text } from "@shopify/polaris";
import { useId, useState, type PointerEvent } from "react";

import {
  formatDay,
  formatShortDay,
  formatTimeZone,
  useDateFormat,
  type DateFormatSettings,
} from "~/components/dates";

/** One local day of the store (YYYY-MM-DD) and its counts. */
export interface ChartDay {
  day: string;
  clicks: number;
  signups: number;
}

const number = new Intl.NumberFormat("en-US");

// Polaris' data-visualization blue and a dark green, both above 3:1 against white (non-text
// contrast); sign-ups are also dashed, so the lines differ without colour.
const SERIES = [
  { key: "clicks", label: "Clicks (left axis)", color: "#2463eb", dash: undefined },
  { key: "signups", label: "Sign-ups (right axis)", color: "#0b7a5a", dash: "6 4" },
] as const;

const PLOT_HEIGHT = 200;
// The SVG's own coordinates; it is stretched to the card's width (strokes keep their width).
const VIEW_WIDTH = 1000;
const GRID_LINES = 4;

/**
 * The top of the scale: GRID_LINES whole steps of 1, 2, 2.5 or 5 × 10^k, the smallest that
 * reaches `value` (so the grid's labels are round numbers).
 */
export function niceCeiling(value: number): number {
  const rawStep = Math.max(1, value / GRID_LINES);
  const magnitude = 10 ** Math.floor(Math.log10(rawStep));
  const step =
    [1, 2, 2.5, 5, 10]
      .map((factor) => factor * magnitude)
      .find((candidate) => Number.isInteger(candidate) && candidate >= rawStep) ?? 10 * magnitude;
  return step * GRID_LINES;
}

/** What the image says to a screen reader: the period, the totals and the busiest day. */
export function describeChart(daily: ChartDay[], settings: DateFormatSettings): string {
  if (daily.length === 0) return "Daily clicks and sign-ups: no days to show.";
  const clicks = daily.reduce((sum, day) => sum + day.clicks, 0);
  const signups = daily.reduce((sum, day) => sum + day.signups, 0);
  const busiest = daily.reduce((best, day) => (day.clicks > best.clicks ? day : best), daily[0]!);
  const first = formatDay(daily[0]!.day, settings);
  const last = formatDay(daily[daily.length - 1]!.day, settings);
  const peak =
    busiest.clicks > 0
      ? ` Most clicks on ${formatDay(busiest.day, settings)}: ${number.format(busiest.clicks)}.`
      : " No clicks in this period.";
  return (
    `Line chart of daily clicks and sign-ups over ${daily.length} days (${formatTimeZone(settings)}), ${first} to ${last}: ` +
    `${number.format(clicks)} clicks and ${number.format(signups)} sign-ups in total.${peak}`
  );
}

function pointsOf(values: number[], maximum: number): string {
  const step = values.length > 1 ? VIEW_WIDTH / (values.length - 1) : 0;
  return values
    .map((value, index) => {
      const x = values.length > 1 ? index * step : VIEW_WIDTH / 2;
      const y = PLOT_HEIGHT - (value / maximum) * PLOT_HEIGHT;
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(" ");
}

function gridOf(maximum: number) {
  return Array.from({ length: GRID_LINES + 1 }, (_, index) => (maximum / GRID_LINES) * index)
    .slice()
    .reverse();
}

export function ReferralChart({ daily }: { daily: ChartDay[] }) {
  const settings = useDateFormat();
  const id = useId();
  const tableId = `${id}-table`;
  const [tableShown, setTableShown] = useState(false);
  const [hovered, setHovered] = useState<number | null>(null);

  const maxima = {
    clicks: niceCeiling(Math.max(0, ...daily.map((day) => day.clicks))),
    signups: niceCeiling(Math.max(0, ...daily.map((day) => day.signups))),
  };
  // The grid's lines are shared: both scales have GRID_LINES steps.
  const gridShares = Array.from({ length: GRID_LINES + 1 }, (_, index) => index / GRID_LINES);
  const middle = daily[Math.floor((daily.length - 1) / 2)];
  const hoveredDay = hovered === null ? null : daily[hovered];

  const followPointer = (event: PointerEvent<HTMLDivElement>) => {
    if (daily.length === 0) return;
    const box = event.currentTarget.getBoundingClientRect();
    const share = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
    setHovered(Math.round(share * (daily.length - 1)));
  };

  return (
    <BlockStack gap="200">
      <div role="img" aria-label={describeChart(daily, settings)} className="referral-chart">
        <InlineStack gap="400">
          {SERIES.map((series) => (
            <InlineStack key={series.key} gap="100" blockAlign="center">
              <svg width="24" height="8" aria-hidden="true">
                <line
                  x1="0"
                  y1="4"
                  x2="24"
                  y2="4"
                  stroke={series.color}
                  strokeWidth="3"
                  strokeDasharray={series.dash}
                />
              </svg>
              <Text as="span" variant="bodySm">
                {series.label}
              </Text>
            </InlineStack>
          ))}
        </InlineStack>
        <div className="referral-chart__body">
          <div
            className="referral-chart__y-axis"
            aria-hidden="true"
            style={{ color: SERIES[0].color }}
          >
            {gridOf(maxima.clicks).map((value) => (
              <span key={value}>{number.format(value)}</span>
            ))}
          </div>
          <div
            className="referral-chart__plot"
            onPointerMove={followPointer}
            onPointerLeave={() => setHovered(null)}
          >
            <svg
              viewBox={`0 0 ${VIEW_WIDTH} ${PLOT_HEIGHT}`}
              preserveAspectRatio="none"
              width="100%"
              height={PLOT_HEIGHT}
              aria-hidden="true"
              focusable="false"
            >
              {gridShares.map((share) => {
                const y = PLOT_HEIGHT - share * PLOT_HEIGHT;
                return (
                  <line
                    key={share}
                    x1="0"
                    x2={VIEW_WIDTH}
                    y1={y}
                    y2={y}
                    stroke="#e3e3e3"
                    vectorEffect="non-scaling-stroke"
                  />
                );
              })}
              {SERIES.map((series) => (
                <polyline
                  key={series.key}
                  points={pointsOf(
                    daily.map((day) => day[series.key]),
                    maxima[series.key],
                  )}
                  fill="none"
                  stroke={series.color}
                  strokeWidth="2.5"
                  strokeDasharray={series.dash}
                  strokeLinejoin="round"
                  vectorEffect="non-scaling-stroke"
                />
              ))}
              {hovered !== null && daily.length > 1 ? (
                <line
                  x1={(hovered / (daily.length - 1)) * VIEW_WIDTH}
                  x2={(hovered / (daily.length - 1)) * VIEW_WIDTH}
                  y1="0"
                  y2={PLOT_HEIGHT}
                  stroke="#8a8a8a"
                  vectorEffect="non-scaling-stroke"
                />
              ) : null}
            </svg>
            {hoveredDay && hovered !== null ? (
              <div
                className="referral-chart__tooltip"
                aria-hidden="true"
                style={{
                  left: `${daily.length > 1 ? (hovered / (daily.length - 1)) * 100 : 50}%`,
                }}
              >
                <strong>{formatDay(hoveredDay.day, settings)}</strong>
                <br />
                {`${number.format(hoveredDay.clicks)} clicks, ${number.format(hoveredDay.signups)} sign-ups`}
              </div>
            ) : null}
            <div className="referral-chart__x-axis" aria-hidden="true">
              <span>{daily[0] ? formatShortDay(daily[0].day, settings) : null}</span>
              <span>{middle ? formatShortDay(middle.day, settings) : null}</span>
              <span>
                {daily.length > 0 ? formatShortDay(daily[daily.length - 1]!.day, settings) : null}
              </span>
            </div>
          </div>
          <div
            className="referral-chart__y-axis referral-chart__y-axis--right"
            aria-hidden="true"
            style={{ color: SERIES[1].color }}
          >
            {gridOf(maxima.signups).map((value) => (
              <span key={value}>{number.format(value)}</span>
            ))}
          </div>
        </div>
      </div>
      <InlineStack>
        <Button
          variant="plain"
          onClick={() => setTableShown((shown) => !shown)}
          ariaExpanded={tableShown}
          ariaControls={tableId}
        >
          {tableShown ? "Hide the figures" : "Show the figures as a table"}
        </Button>
      </InlineStack>
      <div id={tableId} hidden={!tableShown}>
        {tableShown ? (
          <table className="referral-chart__table">
            <caption>
              <Text as="span" visuallyHidden>
                Daily clicks and sign-ups
              </Text>
            </caption>
            <thead>
              <tr>
                <th scope="col">{`Day (${formatTimeZone(settings)})`}</th>
                <th scope="col">Clicks</th>
                <th scope="col">Sign-ups</th>
              </tr>
            </thead>
            <tbody>
              {daily.map((day) => (
                <tr key={day.day}>
                  <th scope="row">{formatDay(day.day, settings)}</th>
                  <td>{number.format(day.clicks)}</td>
                  <td>{number.format(day.signups)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
    </BlockStack>
  );
}
