// Shopify's GraphQL codegen, set up as Shopify's app template does (`npx graphql-codegen`
// regenerates app/types/admin.generated.d.ts from the `#graphql` operations in app/). The schema
// is the one of the Admin API version the app declares, unpacked from @shopify/dev-mcp: nothing
// is downloaded (the preset would otherwise fetch it from shopify.dev).
import { ApiType, shopifyApiProject } from "@shopify/api-codegen-preset";
import type { IGraphQLConfig } from "graphql-config";

import { SHOPIFY_API_VERSION } from "./app/lib/shopify/api-version";
import { unpackAdminSchema } from "./scripts/lib/shopify-admin-schema.mjs";

const outputDir = "./app/types";
unpackAdminSchema(SHOPIFY_API_VERSION, outputDir);

const config: IGraphQLConfig = {
  projects: {
    default: shopifyApiProject({
      apiType: ApiType.Admin,
      apiVersion: SHOPIFY_API_VERSION,
      documents: ["./app/**/*.{ts,tsx}", "!./app/types/**"],
      outputDir,
    }),
  },
};

export default config;
