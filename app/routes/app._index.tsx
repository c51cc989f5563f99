// Home: the seeds' Referrals tab. The referral link with a copy button, the store's figures for
// a date range (URL-held, in the store's days) with their change against the previous period, a
// chart of daily clicks and sign-ups, and the latest referred users, anonymized.
import type {
  ActionFunctionArgs,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link as RemixLink, useLoaderData } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Card,
  EmptyState,
  InlineStack,
  Layout,
  List,
  Page,
  Text,
} from "@shopify/polaris";
import { RangeControl, rangeSearch } from "~/components/RangeControl";
import { ReferralChart } from "~/components/ReferralChart";
import { ReferralLinkCard } from "~/components/ReferralLinkCard";
import { ReferredUsersCard } from "~/components/ReferredUsersCard";
import { StatCards } from "~/components/StatCards";
import { TimeZoneChangeNotice, timeZoneChangeOf } from "~/components/TimeZoneNotice";
import { getEnv } from "~/env.server";
import { badRequest } from "~/lib/infra/http-errors.server";
import { FORM_MAX_BYTES, readForm } from "~/lib/infra/request-body.server";
import { requireStoreAdmin } from "~/lib/shopify/admin-context.server";
import { recordReferralLinkCopied } from "~/lib/referral-links/link-copied.server";
import { storeReferralLink } from "~/lib/referral-links/links";
import { getLatestReferredUsers } from "~/models/referred-users.server";
import { getStoreReferralTotals } from "~/models/referral-stats.server";
import { getDailySeries, getRangeSummary } from "~/models/store-performance.server";
import { AdminHomeAction } from "~/schemas/admin-home.server";
import { selectedRange } from "~/lib/admin/analytics-query.server";
import chartStyles from "~/styles/referral-chart.css";

export const meta: MetaFunction = () => [{ title: "Referrals" }];

export const links: LinksFunction = () => [{ rel: "stylesheet", href: chartStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { store } = await requireStoreAdmin(request);
  const selection = selectedRange(new URL(request.url).searchParams, store.timeZone);
  const [totals, referredUsers] = await Promise.all([
    getStoreReferralTotals({ storeId: store.id }),
    getLatestReferredUsers({ storeId: store.id, limit: 10 }),
  ]);
  const page = {
    referralCode: store.referralCode,
    referralLink: storeReferralLink(getEnv().PUBLIC_SITE_URL, store.referralCode),
    isNewStore: totals.totalClicks === 0 && totals.totalSignups === 0,
    quality: { qualifiedSignups: totals.qualifiedSignups, flaggedSignups: totals.flaggedSignups },
    referredUsers,
    today: selection.today,
    timeZoneChange: timeZoneChangeOf(store),
  };
  // A range that is not one: the page says so above the range control (400), never a 500.
  if ("error" in selection) {
    return json(
      {
        ...page,
        rangeError: selection.error,
        preset: null,
        range: selection.fallback,
        summary: null,
        daily: [],
      },
      { status: 400 },
    );
  }
  const { range, preset } = selection;
  const [summary, daily] = await Promise.all([
    getRangeSummary({ storeId: store.id, range }),
    getDailySeries({ storeId: store.id, range }),
  ]);
  return { ...page, rangeError: null, preset, range, summary, daily };
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
  const data = useLoaderData<typeof loader>();
  const { referralCode, referralLink, referredUsers, isNewStore, summary } = data;

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
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Period
                  </Text>
                  {data.rangeError ? (
                    <Banner tone="critical" title="This date range cannot be shown">
                      <p>{data.rangeError}</p>
                    </Banner>
                  ) : null}
                  <RangeControl preset={data.preset} range={data.range} today={data.today} />
                  <TimeZoneChangeNotice change={data.timeZoneChange} />
                </BlockStack>
              </Card>
            </Layout.Section>
            {summary ? (
              <>
                <Layout.Section>
                  <StatCards summary={summary} quality={data.quality} />
                </Layout.Section>
                <Layout.Section>
                  <Card>
                    <BlockStack gap="300">
                      <InlineStack align="space-between" blockAlign="center">
                        <Text as="h2" variant="headingMd">
                          Daily clicks and sign-ups
                        </Text>
                        <RemixLink to={`/app/performance${rangeSearch(data)}`}>
                          Performance by channel and campaign
                        </RemixLink>
                      </InlineStack>
                      <ReferralChart daily={data.daily} />
                    </BlockStack>
                  </Card>
                </Layout.Section>
              </>
            ) : null}
            <Layout.Section>
              <ReferredUsersCard referredUsers={referredUsers} />
            </Layout.Section>
          </>
        )}
      </Layout>
    </Page>
  );
}
