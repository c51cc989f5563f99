// Daily clicks and sign-ups (@shopify/polaris-viz). Charts measure the DOM, so they render in the
// browser only; the server sends a skeleton of the same size.
import { SkeletonBodyText } from "@shopify/polaris";
import { LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { useEffect, useState } from "react";

import type { DailyReferralStats } from "~/models/referral-stats.server";

export function ReferralChart({ daily }: { daily: DailyReferralStats[] }) {
  const [inBrowser, setInBrowser] = useState(false);
  useEffect(() => setInBrowser(true), []);
  if (!inBrowser) {
    return (
      <div style={{ height: 280 }}>
        <SkeletonBodyText lines={8} />
      </div>
    );
  }
  const data = [
    { name: "Clicks", data: daily.map((day) => ({ key: day.date, value: day.clicks })) },
    { name: "Sign-ups", data: daily.map((day) => ({ key: day.date, value: day.signups })) },
  ];
  return (
    <PolarisVizProvider>
      <div style={{ height: 280 }}>
        <LineChart data={data} theme="Light" showLegend />
      </div>
    </PolarisVizProvider>
  );
}
