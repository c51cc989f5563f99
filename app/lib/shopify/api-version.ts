// The Admin API version the app speaks, in one place: shopifyApp() (app/shopify.server.ts), the
// GraphQL codegen (.graphqlrc.ts) and the schema test all read it. shopify.app.toml's
// `[webhooks] api_version` must be the same (the schema test checks it).
import { ApiVersion } from "@shopify/shopify-app-remix/server";

export const SHOPIFY_API_VERSION = ApiVersion.October25;
