// The only place that configures shopifyApp(): embedded auth by token exchange (the new embedded
// auth strategy), sessions in PostgreSQL, webhooks declared in shopify.app.toml.
import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";

import { getEnv } from "~/env.server";
import { SHOPIFY_API_VERSION } from "~/lib/shopify/api-version";
import { registerShop } from "~/lib/shopify/registration.server";
import { createSessionStorage } from "~/models/session.server";

const env = getEnv();

const shopify = shopifyApp({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion: SHOPIFY_API_VERSION,
  scopes: env.SCOPES ? env.SCOPES.split(",").map((scope) => scope.trim()) : undefined,
  appUrl: env.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: createSessionStorage(),
  distribution: AppDistribution.AppStore,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
  },
  hooks: {
    // Runs after each token exchange that stores a new session (install, reinstall, lost token):
    // registerShop is idempotent, and never fails the install for the storefront metafield.
    afterAuth: async ({ session, admin }) => {
      await registerShop({ shopDomain: session.shop, graphql: admin.graphql });
    },
  },
  ...(env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [env.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const apiVersion = SHOPIFY_API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
