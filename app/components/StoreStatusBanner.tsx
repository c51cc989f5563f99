// What a partner sees when its store does not attribute referrals: why, and what to do.
import { Banner, List, Text } from "@shopify/polaris";

import type { StoreStatus } from "@prisma/client";

export function StoreStatusBanner({
  status,
  statusReason,
}: {
  status: StoreStatus;
  statusReason: string | null;
}) {
  if (status === "suspended") {
    return (
      <Banner tone="critical" title="Your store is suspended">
        <p>
          Syntropy Health has paused referrals for this store
          {statusReason ? (
            <>
              :{" "}
              <Text as="span" fontWeight="semibold">
                {statusReason}
              </Text>
            </>
          ) : null}
          .
        </p>
        <List>
          <List.Item>
            Your link and QR code still take shoppers to Syntropy Health, but new clicks and
            sign-ups are not credited to your store while it is suspended.
          </List.Item>
          <List.Item>
            Your history stays visible here. To lift the suspension, reply to Syntropy Health&apos;s
            message or contact your partner manager.
          </List.Item>
        </List>
      </Banner>
    );
  }
  if (status === "deactivated") {
    return (
      <Banner tone="warning" title="Your store is deactivated">
        <p>
          The app was uninstalled from this shop, so your referral code stopped crediting clicks and
          sign-ups (links still reach Syntropy Health). We could not reactivate it just now: reload
          this page in a minute. If this message stays, reinstall the app; your code and history are
          kept.
        </p>
      </Banner>
    );
  }
  if (status === "pending") {
    return (
      <Banner tone="info" title="Your store is being set up">
        <p>Your referral link starts crediting clicks and sign-ups once the store is active.</p>
      </Banner>
    );
  }
  return null;
}
