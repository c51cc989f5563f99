// Home: the seeds' Referrals tab. The referral link with a copy button, the store's stats, a
// chart of daily clicks and sign-ups (30 or 90 days) and the latest referred users, anonymized.
import type {
  ActionFunctionArgs,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { Link as RemixLink, useLoaderData, useNavigate } from "@remix-run/react";
import {
  BlockStack,
  Button,
  ButtonGroup,
  Card,
  EmptyState,
  InlineStack,
  Layout,
  List,
  Page,
  Text,
} from "@shopify/polaris";
import { ReferralChart } from "~/components/ReferralChart";
import { ReferralLinkCard } from "~/components/ReferralLinkCard";
import { ReferredUsersCard } from "~/components/ReferredUsersCard";
import { StatCards } from "~/components/StatCards";
import { getEnv } from "~/env.server";
import { badRequest } from "~/lib/infra/http-errors.server";
import { FORM_MAX_BYTES, readForm } from "~/lib/infra/request-body.server";
import { requireStoreAdmin } from "~/lib/shopify/admin-context.server";
import { recordReferralLinkCopied } from "~/lib/referral-links/link-copied.server";
import { storeReferralLink } from "~/lib/referral-links/links";
import { getLatestReferredUsers } from "~/models/referred-users.server";
import { getStoreReferralStats } from "~/models/referral-stats.server";
import { AdminHomeAction, AdminHomeQuery } from "~/schemas/admin-home.server";
import chartStyles from "~/styles/referral-chart.css";

export const meta: MetaFunction = () => [{ title: "Referrals" }];

export const links: LinksFunction = () => [{ rel: "stylesheet", href: chartStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { store } = await requireStoreAdmin(request);
  const query = AdminHomeQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw badRequest("days must be 30 or 90.");
  const [stats, referredUsers] = await Promise.all([
    getStoreReferralStats({ storeId: store.id, days: query.data.days }),
    getLatestReferredUsers({ storeId: store.id, limit: 10 }),
  ]);
  return {
    days: query.data.days,
    referralCode: store.referralCode,
    referralLink: storeReferralLink(getEnv().PUBLIC_SITE_URL, store.referralCode),
    stats,
    referredUsers,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { session, store } = await requireStoreAdmin(request);
  const form = AdminHomeAction.safeParse(
    Object.fromEntries(await readForm(request, FORM_MAX_BYTES)),
  );
  if (!form.success) throw badRequest("Unknown action.");
  recordReferralLinkCopied({ shopDomain: session.shop, store });
  return { copied: true };
}

export default function ReferralsHome() {
  const { days, referralCode, referralLink, stats, referredUsers } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const isNewStore = stats.totalClicks === 0 && stats.totalSignups === 0;

  return (
    <Page title="Referrals">
      <Layout>
        <Layout.Section>
          <ReferralLinkCard referralLink={referralLink} referralCode={referralCode} />
        </Layout.Section>
        {isNewStore ? (
          <Layout.Section>
            <Card>
              <EmptyState
                heading="Share your link to get your first referral"
                image="/images/share-referral-link.svg"
              >
                <BlockStack gap="200">
                  <Text as="p">
                    Every click and sign-up through your link shows up here. Three ways to start:
                  </Text>
                  <List type="number">
                    <List.Item>
                      Copy your link and post it on Instagram or in your newsletter.
                    </List.Item>
                    <List.Item>
                      Print the QR code from the <RemixLink to="/app/kit">In-store kit</RemixLink>{" "}
                      and place it at your till.
                    </List.Item>
                    <List.Item>
                      Add the &quot;Join with our referral link&quot; block to your online store in
                      the theme editor (Apps section).
                    </List.Item>
                  </List>
                </BlockStack>
              </EmptyState>
            </Card>
          </Layout.Section>
        ) : (
          <>
            <Layout.Section>
              <StatCards stats={stats} />
            </Layout.Section>
            <Layout.Section>
              <Card>
                <BlockStack gap="300">
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      Daily clicks and sign-ups
                    </Text>
                    <ButtonGroup variant="segmented">
                      {/* Buttons, not links, so that aria-pressed says which range is shown. */}
                      {([30, 90] as const).map((range) => (
                        <Button
                          key={range}
                          pressed={days === range}
                          onClick={() => navigate(`/app?days=${range}`)}
                        >
                          {`${range} days`}
                        </Button>
                      ))}
                    </ButtonGroup>
                  </InlineStack>
                  <ReferralChart daily={stats.daily} />
                </BlockStack>
              </Card>
            </Layout.Section>
            <Layout.Section>
              <ReferredUsersCard referredUsers={referredUsers} />
            </Layout.Section>
          </>
        )}
      </Layout>
    </Page>
  );
}
