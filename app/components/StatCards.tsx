// The home's stat cards for the chosen period: clicks, sign-ups, conversion rate and active
// users, each with its change against the previous period of the same length; and the
// qualified sign-ups (those under review, flagged by a quality check, are counted apart: the
// card says how many, never why or by which rule).
import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";

import { countChange, rateChange, type Change } from "~/components/change";
import type { PeriodPair } from "~/models/performance";

const number = new Intl.NumberFormat("en-US");

export interface SignupQuality {
  qualifiedSignups: number;
  flaggedSignups: number;
}

interface StatCard {
  label: string;
  value: string;
  change?: Change;
  note?: string;
}

export function StatCards({ summary, quality }: { summary: PeriodPair; quality: SignupQuality }) {
  const { current, previous } = summary;
  const cards: StatCard[] = [
    {
      label: "Clicks",
      value: number.format(current.clicks),
      change: countChange(current.clicks, previous.clicks),
    },
    {
      label: "Sign-ups",
      value: number.format(current.signups),
      change: countChange(current.signups, previous.signups),
    },
    {
      label: "Conversion rate",
      value: `${current.conversionRate.toFixed(1)}%`,
      change: rateChange(current.conversionRate, previous.conversionRate),
    },
    {
      label: "Active users",
      value: number.format(current.activations),
      change: countChange(current.activations, previous.activations),
    },
    {
      label: "Qualified sign-ups, all time",
      value: number.format(quality.qualifiedSignups),
      note:
        quality.flaggedSignups > 0
          ? `${number.format(quality.flaggedSignups)} under review by Syntropy Health`
          : undefined,
    },
  ];
  return (
    <InlineGrid columns={{ xs: 2, sm: 3, lg: 5 }} gap="300">
      {cards.map((card) => (
        <Card key={card.label}>
          <BlockStack gap="100">
            <Text as="h3" variant="bodySm" tone="subdued">
              {card.label}
            </Text>
            <Text as="p" variant="headingLg">
              {card.value}
            </Text>
            {card.change ? <ChangeText change={card.change} /> : null}
            {card.note ? (
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

/** "+12% vs previous period", the words read out as "up 12% from 25 vs previous period". */
export function ChangeText({ change }: { change: Change }) {
  return (
    <Text as="p" variant="bodySm" tone={change.tone}>
      <span aria-hidden="true">{change.text}</span>
      <Text as="span" visuallyHidden>
        {change.description}
      </Text>{" "}
      <span>vs previous period</span>
    </Text>
  );
}
