// The funnel of one breakdown value (or of all of them): clicked → signed up → active, as
// bars whose length is the share of the clicks. An ordered list, so a screen reader reads each
// step with its count and share; the bars themselves are decoration (aria-hidden).
import { BlockStack, Text } from "@shopify/polaris";

import type { FunnelCounts } from "~/models/performance";

const number = new Intl.NumberFormat("en-US");
const share = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });

const STEPS = [
  { key: "clicks", label: "Clicked", color: "#2463eb" },
  { key: "signups", label: "Signed up", color: "#0b7a5a" },
  { key: "activations", label: "Active", color: "#7a4dd8" },
] as const;

export function Funnel({ title, counts }: { title: string; counts: FunnelCounts }) {
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        {title}
      </Text>
      <ol className="funnel" aria-label={title}>
        {STEPS.map((step, index) => {
          const value = counts[step.key];
          const ofClicks = counts.clicks > 0 ? value / counts.clicks : 0;
          const previous = index > 0 ? counts[STEPS[index - 1]!.key] : null;
          return (
            <li key={step.key} className="funnel__step">
              <span className="funnel__label">
                <strong>{step.label}</strong>
                {` ${number.format(value)}`}
                {previous !== null
                  ? ` (${share.format(previous > 0 ? value / previous : 0)} of the step before)`
                  : null}
              </span>
              <span className="funnel__track" aria-hidden="true">
                <span
                  className="funnel__bar"
                  style={{
                    width: `${Math.max(value > 0 ? 0.5 : 0, ofClicks * 100).toFixed(2)}%`,
                    background: step.color,
                  }}
                />
              </span>
            </li>
          );
        })}
      </ol>
    </BlockStack>
  );
}
