// The Admin GraphQL operations the app uses, each with a zod schema for its answer. None needs
// an access scope: the `shop` object (name, e-mail) is readable by every app, and app-data
// metafields live on the app's own AppInstallation (see docs/decisions/0006-shopify-install.md).
//
// Each operation is a `#graphql` literal: `npx graphql-codegen` (.graphqlrc.ts) types its
// variables and answer from Shopify's schema (app/types/admin.generated.d.ts), and each zod schema
// must produce that type. The schema test validates every operation against Shopify's schema.
import type { AdminGraphqlClient } from "@shopify/shopify-app-remix/server";
import { z } from "zod";

import type {
  PublishReferralLinkMutation,
  ShopRegistrationQuery,
  StorefrontBlockStatusQuery,
} from "~/types/admin.generated";

/** The namespace of the app-data metafields the storefront block reads as `app.metafields.store_referrals.*`. */
export const REFERRAL_METAFIELD_NAMESPACE = "store_referrals";

export interface ShopRegistrationDetails {
  name: string;
  /** The shop's e-mail and its contact e-mail, as Shopify answers them (used, not stored). */
  ownerEmails: string[];
  /** The shop's IANA time zone as Shopify answers it (checked before it is stored). */
  ianaTimezone: string;
  appInstallationId: string;
}

const shopRegistrationAnswer = z.object({
  data: z.object({
    shop: z.object({
      name: z.string(),
      email: z.string(),
      contactEmail: z.string(),
      ianaTimezone: z.string(),
    }),
    currentAppInstallation: z.object({ id: z.string().min(1) }),
  }) satisfies z.ZodType<ShopRegistrationQuery>,
});

/** The shop's name and owner e-mails, and the id of this app's installation (owner of its metafields). */
export async function readShopRegistrationDetails(
  graphql: AdminGraphqlClient,
): Promise<ShopRegistrationDetails> {
  const response = await graphql(`
    #graphql
    query ShopRegistration {
      shop {
        name
        email
        contactEmail
        ianaTimezone
      }
      currentAppInstallation {
        id
      }
    }
  `);
  const { data } = shopRegistrationAnswer.parse(await response.json());
  return {
    name: data.shop.name,
    ownerEmails: [data.shop.email, data.shop.contactEmail].filter((email): email is string =>
      Boolean(email),
    ),
    ianaTimezone: data.shop.ianaTimezone,
    appInstallationId: data.currentAppInstallation.id,
  };
}

const publishAnswer = z.object({
  data: z.object({
    metafieldsSet: z.object({
      userErrors: z.array(z.object({ message: z.string() })),
    }),
  }) satisfies z.ZodType<PublishReferralLinkMutation>,
});

export class MetafieldWriteError extends Error {
  constructor(messages: string[]) {
    super(`metafieldsSet refused: ${messages.join("; ")}`);
    this.name = "MetafieldWriteError";
  }
}

/** Writes the store's code and storefront link to app-data metafields (one atomic metafieldsSet). */
export async function publishReferralLinkMetafields(
  graphql: AdminGraphqlClient,
  {
    appInstallationId,
    referralCode,
    referralLink,
  }: { appInstallationId: string; referralCode: string; referralLink: string },
): Promise<void> {
  const response = await graphql(
    `
      #graphql
      mutation PublishReferralLink($metafields: [MetafieldsSetInput!]!) {
        metafieldsSet(metafields: $metafields) {
          metafields {
            key
          }
          userErrors {
            field
            message
            code
          }
        }
      }
    `,
    {
      variables: {
        metafields: [
          {
            ownerId: appInstallationId,
            namespace: REFERRAL_METAFIELD_NAMESPACE,
            key: "referral_code",
            type: "single_line_text_field",
            value: referralCode,
          },
          {
            ownerId: appInstallationId,
            namespace: REFERRAL_METAFIELD_NAMESPACE,
            key: "referral_link",
            type: "url",
            value: referralLink,
          },
        ],
      },
    },
  );
  const { data } = publishAnswer.parse(await response.json());
  const { userErrors } = data.metafieldsSet;
  if (userErrors.length > 0) throw new MetafieldWriteError(userErrors.map((e) => e.message));
}

const blockStatusAnswer = z.object({
  data: z.object({
    currentAppInstallation: z.object({
      id: z.string(),
      referralLink: z.object({ value: z.string() }).nullable(),
    }),
  }) satisfies z.ZodType<StorefrontBlockStatusQuery>,
});

/** The storefront link the block currently shows (the app-data metafield), or null when unset. */
export async function readPublishedReferralLink(graphql: AdminGraphqlClient) {
  const response = await graphql(
    `
      #graphql
      query StorefrontBlockStatus($namespace: String!) {
        currentAppInstallation {
          id
          referralLink: metafield(namespace: $namespace, key: "referral_link") {
            value
          }
        }
      }
    `,
    { variables: { namespace: REFERRAL_METAFIELD_NAMESPACE } },
  );
  const { data } = blockStatusAnswer.parse(await response.json());
  return {
    appInstallationId: data.currentAppInstallation.id,
    referralLink: data.currentAppInstallation.referralLink?.value ?? null,
  };
}
