// The latest referred users, anonymized (the seeds show them anonymized by default).
import { Link as RemixLink } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, Text } from "@shopify/polaris";

import { formatDateTime, useDateFormat } from "~/components/dates";
import { REFERRAL_CHANNEL_LABELS, REFERRAL_STATUS_LABELS } from "~/components/labels";

interface ReferredUserRow {
  referredUser: string;
  status: keyof typeof REFERRAL_STATUS_LABELS;
  channel: keyof typeof REFERRAL_CHANNEL_LABELS;
  signedUpAt: string | null;
}

export function ReferredUsersCard({ referredUsers }: { referredUsers: ReferredUserRow[] }) {
  const dates = useDateFormat();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Latest referred users
        </Text>
        {referredUsers.length === 0 ? (
          <Text as="p" tone="subdued">
            No sign-ups yet. Clicks turn into sign-ups when shoppers create their Syntropy Health
            account through your link.
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text"]}
            headings={["Referred user", "Signed up", "Channel", "Status"]}
            rows={referredUsers.map((user) => [
              user.referredUser,
              user.signedUpAt ? formatDateTime(user.signedUpAt, dates) : "—",
              REFERRAL_CHANNEL_LABELS[user.channel],
              <Badge key={user.referredUser} tone={user.status === "active" ? "success" : "info"}>
                {REFERRAL_STATUS_LABELS[user.status]}
              </Badge>,
            ])}
          />
        )}
        <Text as="p">
          <RemixLink to="/app/referrals">See every referral event</RemixLink>
        </Text>
      </BlockStack>
    </Card>
  );
}
