// The store's referral link with a copy button: App Bridge toast, and the copy reported to the
// server (AFFILIATE_REFERRAL_LINK_COPIED) through the page's action.
import { useFetcher } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { BlockStack, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import { useCallback } from "react";

export function ReferralLinkCard({
  referralLink,
  referralCode,
}: {
  referralLink: string;
  referralCode: string;
}) {
  const shopify = useAppBridge();
  const fetcher = useFetcher();

  const copy = useCallback(async () => {
    try {
      await navigator.clipboard.writeText(referralLink);
      shopify.toast.show("Referral link copied");
      fetcher.submit({ intent: "copy_link" }, { method: "post" });
    } catch {
      shopify.toast.show("Could not copy: select the link and copy it", { isError: true });
    }
  }, [fetcher, referralLink, shopify]);

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Your referral link
        </Text>
        <Text as="p" tone="subdued">
          Share it on Instagram, by e-mail or in your shop. Shoppers who sign up with Syntropy
          Health through it within 30 days are credited to your store.
        </Text>
        <InlineStack gap="200" blockAlign="start" wrap={false}>
          <div style={{ flexGrow: 1 }}>
            <TextField
              label="Referral link"
              labelHidden
              value={referralLink}
              readOnly
              autoComplete="off"
              helpText={`Referral code: ${referralCode}`}
            />
          </div>
          <Button variant="primary" onClick={copy}>
            Copy link
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
