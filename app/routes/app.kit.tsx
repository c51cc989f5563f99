// In-store kit: the store's QR code (the "In-store signage" preset's link, tagged channel=qr so
// scans are counted apart from clicks), with print-ready SVG and PNG downloads.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineStack, Layout, List, Page, Text } from "@shopify/polaris";

import { DownloadButton } from "~/components/DownloadButton";
import { getEnv } from "~/env.server";
import { requireStoreAdmin } from "~/lib/shopify/admin-context.server";
import { renderQrSvg } from "~/lib/referral-links/qr-code.server";
import { qrReferralLink } from "~/lib/referral-links/links";

export const meta: MetaFunction = () => [{ title: "In-store kit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { store } = await requireStoreAdmin(request);
  const link = qrReferralLink(getEnv().PUBLIC_SITE_URL, store.referralCode);
  return { link, slug: store.slug, storeName: store.name, qrSvg: await renderQrSvg(link) };
}

export default function InStoreKit() {
  const { link, slug, storeName, qrSvg } = useLoaderData<typeof loader>();
  return (
    <Page
      title="In-store kit"
      subtitle="Put your referral link on the counter, the shelf and the door."
    >
      <Layout>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300" inlineAlign="center">
              <img
                src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(qrSvg)}`}
                alt={`QR code of ${storeName}'s referral link`}
                width={240}
                height={240}
              />
              <Text as="p" tone="subdued" breakWord>
                {link}
              </Text>
              <InlineStack gap="200">
                <DownloadButton
                  variant="primary"
                  url="/app/kit/qr.svg"
                  filename={`${slug}-referral-qr.svg`}
                >
                  Download SVG
                </DownloadButton>
                <DownloadButton url="/app/kit/qr.png" filename={`${slug}-referral-qr.png`}>
                  Download PNG
                </DownloadButton>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Printing tips
              </Text>
              <List>
                <List.Item>
                  SVG prints sharp at any size (posters, window stickers); the PNG is 1200 px, about
                  4 inches at 300 dpi (shelf talkers, flyers).
                </List.Item>
                <List.Item>
                  Print it at least 2 cm (0.8 in) wide and keep the white border.
                </List.Item>
                <List.Item>
                  Add a short call to action next to it, e.g. &quot;Scan to join Syntropy Health
                  with {storeName}&quot;.
                </List.Item>
                <List.Item>
                  Scans are counted as the QR channel, apart from link clicks, on your Referrals
                  page.
                </List.Item>
              </List>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
