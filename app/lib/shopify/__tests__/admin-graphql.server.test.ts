// The Admin GraphQL operations of the app, through Shopify's real Admin client (the offline
// session's token) against the loopback fake of Shopify's Admin API.
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";

import {
  MetafieldWriteError,
  publishReferralLinkMetafields,
  readPublishedReferralLink,
  readShopRegistrationDetails,
} from "~/lib/shopify/admin-graphql.server";
import { unauthenticated } from "~/shopify.server";
import { uniqueShopDomain } from "~/test/builders";
import { installTestShopSession } from "~/test/shopify";

const shopifyAdmin = await vi.hoisted(async () => {
  const { interceptShopifyAdmin } = await import("~/test/fakes/shopify-admin");
  return interceptShopifyAdmin();
});
afterEach(() => shopifyAdmin.clearFailures());
afterAll(() => shopifyAdmin.close());

async function installedShopGraphql() {
  const shopDomain = uniqueShopDomain("graphql");
  await installTestShopSession({ shopDomain });
  const { admin } = await unauthenticated.admin(shopDomain);
  return { shopDomain, graphql: admin.graphql };
}

describe("Admin GraphQL operations", () => {
  it("reads the shop's name, owner e-mails and the app installation id", async () => {
    // GIVEN an installed shop whose profile Shopify knows
    const { shopDomain, graphql } = await installedShopGraphql();
    shopifyAdmin.setShop(shopDomain, {
      name: "Chen's Wellness",
      email: "chen@example.com",
      contactEmail: "hello@chens-wellness.com",
      ianaTimezone: "Asia/Kolkata",
    });
    // WHEN the registration details are read
    const details = await readShopRegistrationDetails(graphql);
    // THEN they are the shop's, sent with the offline session's token
    expect(details).toEqual({
      name: "Chen's Wellness",
      ownerEmails: ["chen@example.com", "hello@chens-wellness.com"],
      ianaTimezone: "Asia/Kolkata",
      appInstallationId: expect.stringMatching(/^gid:\/\/shopify\/AppInstallation\//),
    });
    const [call] = shopifyAdmin.callsFor(shopDomain);
    expect(call).toMatchObject({
      operationName: "ShopRegistration",
      accessToken: expect.any(String),
    });
  });

  it("publishes the code and link to app-data metafields, which the block status reads back", async () => {
    // GIVEN an installed shop with nothing published
    const { shopDomain, graphql } = await installedShopGraphql();
    const { appInstallationId } = await readShopRegistrationDetails(graphql);
    expect((await readPublishedReferralLink(graphql)).referralLink).toBeNull();
    // WHEN the storefront link is published
    await publishReferralLinkMetafields(graphql, {
      appInstallationId,
      referralCode: "store-chen-well-a1b2",
      referralLink: "https://example.test/r/store-chen-well-a1b2?channel=storefront",
    });
    // THEN both metafields are set in one call, and the block status shows the link
    expect(shopifyAdmin.appMetafields(shopDomain)).toEqual({
      "store_referrals.referral_code": "store-chen-well-a1b2",
      "store_referrals.referral_link":
        "https://example.test/r/store-chen-well-a1b2?channel=storefront",
    });
    expect(await readPublishedReferralLink(graphql)).toEqual({
      appInstallationId,
      referralLink: "https://example.test/r/store-chen-well-a1b2?channel=storefront",
    });
  });

  it("throws MetafieldWriteError when Shopify refuses the metafields", async () => {
    // GIVEN a shop whose metafieldsSet answers userErrors
    const { shopDomain, graphql } = await installedShopGraphql();
    const { appInstallationId } = await readShopRegistrationDetails(graphql);
    shopifyAdmin.failOperation(shopDomain, "PublishReferralLink", "user_errors");
    // WHEN the link is published THEN the refusal is an error naming Shopify's messages
    await expect(
      publishReferralLinkMetafields(graphql, {
        appInstallationId,
        referralCode: "store-chen-well-a1b2",
        referralLink: "https://example.test/r/store-chen-well-a1b2",
      }),
    ).rejects.toBeInstanceOf(MetafieldWriteError);
    expect(shopifyAdmin.appMetafields(shopDomain)).toEqual({});
  });
});
