// A stand-in for the Admin GraphQL operations the app uses (app/lib/shopify/admin-graphql.server.ts):
// ShopRegistration, PublishReferralLink (metafieldsSet on the app's installation) and
// StorefrontBlockStatus. One copy, used by both of its callers:
// - the local preview (`npm run demo`, behind ~/demo/index.server), whose admin would otherwise
//   send these to https://<shop>.myshopify.com, which a demo shop is not (decision 0017);
// - the tests' fake Admin API on loopback (app/test/fakes/shopify-admin.ts), which records the
//   calls and can make an operation fail.
// State lives in memory: a restarted demo shows the storefront block unpublished again.
import type { AdminGraphqlClient } from "@shopify/shopify-app-remix/server";

export interface StandInShopProfile {
  name: string;
  email: string;
  /** The shop's contact e-mail (Shopify's `contactEmail`, never null in its schema); defaults to `email`. */
  contactEmail?: string;
  /** The shop's IANA zone (Shopify's `ianaTimezone`); defaults to America/New_York. */
  ianaTimezone?: string;
}

/** How an operation misbehaves for one shop: an HTTP error, or GraphQL userErrors / errors. */
export type AdminApiFailure = "http_500" | "user_errors" | "graphql_errors";

export interface AdminApiState {
  shops: Map<string, StandInShopProfile>;
  failures: Map<string, AdminApiFailure>;
  /** App-data metafields written with metafieldsSet, by shop then `namespace.key`. */
  metafields: Map<string, Record<string, string>>;
}

/** A shop's zone when none is set: not UTC, so that local days show in the preview and tests. */
export const DEFAULT_STAND_IN_TIME_ZONE = "America/New_York";

export const STAND_IN_APP_INSTALLATION_ID = "gid://shopify/AppInstallation/1001";

export function createAdminApiState(): AdminApiState {
  return { shops: new Map(), failures: new Map(), metafields: new Map() };
}

export function failureKey(shop: string, operationName: string) {
  return `${shop}\u0000${operationName}`;
}

/** The operation's name, as the app's documents declare it (`query ShopRegistration {`). */
export function operationNameOf(query: string): string | null {
  return /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? null;
}

function profileOf(state: AdminApiState, shop: string): StandInShopProfile {
  const handle = shop.replace(/\.myshopify\.com$/, "");
  return state.shops.get(shop) ?? { name: `Shop ${handle}`, email: `owner@${handle}.example` };
}

/** What the Admin API answers (status and JSON body) to one GraphQL request of a shop. */
export function answerAdminGraphql(
  state: AdminApiState,
  shop: string,
  request: { query: string; variables?: Record<string, unknown> },
): { status: number; body: unknown } {
  const operationName = operationNameOf(request.query);
  const failure = state.failures.get(failureKey(shop, operationName ?? ""));
  if (failure === "http_500") return { status: 500, body: { errors: "Internal Server Error" } };
  if (failure === "graphql_errors") {
    return { status: 200, body: { errors: [{ message: "Throttled" }], data: null } };
  }

  switch (operationName) {
    case "ShopRegistration": {
      const profile = profileOf(state, shop);
      return {
        status: 200,
        body: {
          data: {
            shop: {
              name: profile.name,
              email: profile.email,
              contactEmail: profile.contactEmail ?? profile.email,
              ianaTimezone: profile.ianaTimezone ?? DEFAULT_STAND_IN_TIME_ZONE,
            },
            currentAppInstallation: { id: STAND_IN_APP_INSTALLATION_ID },
          },
        },
      };
    }
    case "PublishReferralLink": {
      if (failure === "user_errors") {
        return {
          status: 200,
          body: {
            data: {
              metafieldsSet: {
                metafields: null,
                userErrors: [{ field: ["metafields"], message: "Invalid", code: "INVALID" }],
              },
            },
          },
        };
      }
      const inputs = (request.variables?.metafields ?? []) as Array<{
        ownerId: string;
        namespace: string;
        key: string;
        value: string;
      }>;
      const stored = state.metafields.get(shop) ?? {};
      for (const input of inputs) stored[`${input.namespace}.${input.key}`] = input.value;
      state.metafields.set(shop, stored);
      return {
        status: 200,
        body: {
          data: {
            metafieldsSet: {
              // The app selects only each metafield's key.
              metafields: inputs.map(({ key }) => ({ key })),
              userErrors: [],
            },
          },
        },
      };
    }
    case "StorefrontBlockStatus": {
      const link = state.metafields.get(shop)?.["store_referrals.referral_link"];
      return {
        status: 200,
        body: {
          data: {
            currentAppInstallation: {
              id: STAND_IN_APP_INSTALLATION_ID,
              referralLink: link === undefined ? null : { value: link },
            },
          },
        },
      };
    }
    default:
      return {
        status: 200,
        body: {
          errors: [
            { message: `The stand-in Admin API does not know the operation ${operationName}` },
          ],
        },
      };
  }
}

// ---------------------------------------------------------------------------------------------
// The local preview's client

const previewState = createAdminApiState();

/**
 * An Admin GraphQL client for a shop of the local preview that answers from the stand-in above,
 * in this process, instead of sending the request to the shop's Admin API.
 */
export function standInAdminGraphql(shop: string): AdminGraphqlClient {
  const client = async (query: string, options?: { variables?: Record<string, unknown> }) => {
    const answer = answerAdminGraphql(previewState, shop, { query, variables: options?.variables });
    return Response.json(answer.body, { status: answer.status });
  };
  return client as unknown as AdminGraphqlClient;
}
