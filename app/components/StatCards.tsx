// The seeds' stats as Polaris cards: clicks, signups, conversion rate, signups in the last 30
// days, active users; and the qualified sign-ups (those under review, flagged by a quality
// check, are counted apart: the card says how many, never why or by which rule).
import { Card, InlineGrid, Text, BlockStack } from "@shopify/polaris";

import type { StoreReferralStats } from "~/models/referral-stats.server";

type Totals = Omit<StoreReferralStats, "daily">;

const number = new Intl.NumberFormat("en-US");

export function StatCards({ stats }: { stats: Totals }) {
  const cards = [
    { label: "Total clicks", value: number.format(stats.totalClicks) },
    { label: "Total sign-ups", value: number.format(stats.totalSignups) },
    { label: "Conversion rate", value: `${stats.conversionRate.toFixed(1)}%` },
    { label: "Sign-ups, last 30 days", value: number.format(stats.recentSignups30d) },
    { label: "Active users", value: number.format(stats.totalActive) },
    {
      label: "Qualified sign-ups",
      value: number.format(stats.qualifiedSignups),
      note:
        stats.flaggedSignups > 0
          ? `${number.format(stats.flaggedSignups)} under review by Syntropy Health`
          : undefined,
    },
  ];
  return (
    <InlineGrid columns={{ xs: 2, sm: 3, lg: 6 }} gap="300">
      {cards.map((card) => (
        <Card key={card.label}>
          <BlockStack gap="100">
            <Text as="h3" variant="bodySm" tone="subdued">
              {card.label}
            </Text>
            <Text as="p" variant="headingLg">
              {card.value}
            </Text>
            {"note" in card && card.note ? (
              <Text as="p" variant="bodySm" tone="subdued">
                {card.note}
              </Text>
            ) : null}
          </BlockStack>
        </Card>
      ))}
    </InlineGrid>
  );
}
