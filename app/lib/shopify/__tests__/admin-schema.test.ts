// Every Admin GraphQL operation of the app against Shopify's own schema for the API version the
// app declares (shipped offline by @shopify/dev-mcp), and the loopback fake's answers against the
// same schema, so that the fake cannot drift from what Shopify would answer.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { gqlPluckFromCodeStringSync } from "@graphql-tools/graphql-tag-pluck";
import { pluckConfig } from "@shopify/api-codegen-preset";
import {
  buildClientSchema,
  execute,
  parse,
  validate,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type IntrospectionQuery,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import {
  publishReferralLinkMetafields,
  readPublishedReferralLink,
  readShopRegistrationDetails,
} from "~/lib/shopify/admin-graphql.server";
import { SHOPIFY_API_VERSION } from "~/lib/shopify/api-version";
import { unauthenticated } from "~/shopify.server";
import { uniqueShopDomain } from "~/test/builders";
import { type ShopifyAdminCall } from "~/test/fakes/shopify-admin";
import { installTestShopSession } from "~/test/shopify";

import { readAdminIntrospection } from "../../../../scripts/lib/shopify-admin-schema.mjs";

const shopifyAdmin = await vi.hoisted(async () => {
  const { interceptShopifyAdmin } = await import("~/test/fakes/shopify-admin");
  return interceptShopifyAdmin();
});
afterAll(() => shopifyAdmin.close());

const root = path.resolve(__dirname, "../../../..");
// The operations the app has today (any added later is validated too).
const OPERATIONS = ["ShopRegistration", "PublishReferralLink", "StorefrontBlockStatus"];

let schema: GraphQLSchema;
beforeAll(() => {
  const introspection = readAdminIntrospection(SHOPIFY_API_VERSION) as {
    data: IntrospectionQuery;
  };
  schema = buildClientSchema(introspection.data);
});

/** Every `#graphql` literal in app/ (the documents .graphqlrc.ts gives the codegen). */
function appOperations() {
  const files = readdirSync(path.join(root, "app"), { recursive: true, encoding: "utf8" })
    .filter((file) => /\.tsx?$/.test(file) && !file.startsWith("types/"))
    .map((file) => path.join(root, "app", file));
  return files.flatMap((file) =>
    gqlPluckFromCodeStringSync(file, readFileSync(file, "utf8"), pluckConfig).map((source) => ({
      file: path.relative(root, file),
      body: source.body,
    })),
  );
}

function errorsOf(operation: string) {
  return validate(schema, parse(operation)).map((error) => error.message);
}

describe("Admin GraphQL operations against Shopify's schema", () => {
  it("uses the same API version in shopifyApp() and shopify.app.toml's webhooks", () => {
    const toml = readFileSync(path.join(root, "shopify.app.toml"), "utf8");
    const webhooksVersion = /\[webhooks\]\s*api_version\s*=\s*"([^"]+)"/.exec(toml)?.[1];
    expect(webhooksVersion).toBe(SHOPIFY_API_VERSION);
  });

  it("validates every operation of the app with zero errors", () => {
    // GIVEN every #graphql operation in the app's code
    const operations = appOperations();
    const names = operations.map(({ body }) => /(?:query|mutation)\s+(\w+)/.exec(body)?.[1]);
    // (at least the three the fake below knows: the plucking found them)
    expect(names).toEqual(expect.arrayContaining(OPERATIONS));
    expect(new Set(names).size).toBe(names.length);
    // WHEN each is validated against Shopify's schema THEN none has an error
    for (const { file, body } of operations) {
      expect({ file, errors: errorsOf(body) }).toEqual({ file, errors: [] });
    }
  });

  it("has generated types for each operation exactly as written (run `npx graphql-codegen`)", () => {
    // GIVEN the codegen's output, keyed by the operations' source text
    const generated = readFileSync(path.join(root, "app/types/admin.generated.d.ts"), "utf8");
    const keys = [...generated.matchAll(/^ {2}("(?:[^"\\]|\\.)*"): \{return:/gm)].map(
      ([, key]) => JSON.parse(key!) as string,
    );
    // THEN every operation of the app is typed by it (an edited one would fall back to untyped)
    const operations = appOperations();
    for (const { body } of operations) expect(keys).toContain(body);
    expect(keys).toHaveLength(operations.length);
  });

  it("refuses an unknown field", () => {
    expect(errorsOf("query Broken { shop { name referralCodeOfShop } }")).toEqual([
      'Cannot query field "referralCodeOfShop" on type "Shop".',
    ]);
  });

  it("refuses an unknown argument and a wrongly typed one", () => {
    const errors = errorsOf(`query Broken {
      currentAppInstallation {
        metafield(space: "store_referrals", key: "referral_link") { value }
        other: metafield(namespace: 42, key: "referral_link") { value }
      }
    }`);
    expect(errors).toEqual([
      'Unknown argument "space" on field "AppInstallation.metafield".',
      "String cannot represent a non string value: 42",
    ]);
  });

  it("refuses variables of the wrong input type", () => {
    expect(
      errorsOf(`mutation Broken($metafields: [MetafieldInput!]!) {
        metafieldsSet(metafields: $metafields) { userErrors { message } }
      }`),
    ).toEqual([
      'Variable "$metafields" of type "[MetafieldInput!]!" used in position expecting type "[MetafieldsSetInput!]!".',
    ]);
  });
});

// The default resolver reads a field by its name; the fake answers by response key (aliases).
const byResponseKey: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) =>
  (source as Record<string, unknown> | null)?.[info.path.key];

/** Runs the app's operation on Shopify's schema with the fake's answer as the data source. */
async function checkAgainstSchema(call: ShopifyAdminCall) {
  const answer = call.answer as { data: Record<string, unknown> };
  const result = await execute({
    schema,
    document: parse(call.query!),
    variableValues: call.variables,
    rootValue: answer.data,
    fieldResolver: byResponseKey,
    typeResolver: (value) => (value as { __typename?: string }).__typename,
  });
  return { errors: result.errors?.map((error) => error.message) ?? [], data: result.data };
}

describe("the Admin API fake answers as Shopify's schema says", () => {
  it("answers each operation with exactly the selected fields, of the schema's types", async () => {
    // GIVEN an installed shop, its profile, and the app's three operations run through the real client
    const shopDomain = uniqueShopDomain("schema");
    await installTestShopSession({ shopDomain });
    const { admin } = await unauthenticated.admin(shopDomain);
    const { appInstallationId } = await readShopRegistrationDetails(admin.graphql);
    await publishReferralLinkMetafields(admin.graphql, {
      appInstallationId,
      referralCode: "store-chen-well-a1b2",
      referralLink: "https://example.test/r/store-chen-well-a1b2?channel=storefront",
    });
    await readPublishedReferralLink(admin.graphql);
    shopifyAdmin.failOperation(shopDomain, "PublishReferralLink", "user_errors");
    await expect(
      publishReferralLinkMetafields(admin.graphql, {
        appInstallationId,
        referralCode: "store-chen-well-a1b2",
        referralLink: "https://example.test/r/store-chen-well-a1b2?channel=storefront",
      }),
    ).rejects.toThrow();
    shopifyAdmin.clearFailures();
    const calls = shopifyAdmin.callsFor(shopDomain).filter((call) => call.kind === "graphql");
    expect(calls.map((call) => call.operationName)).toEqual([
      "ShopRegistration",
      "PublishReferralLink",
      "StorefrontBlockStatus",
      "PublishReferralLink",
    ]);
    // WHEN each answer is executed on Shopify's schema with the app's own variables
    for (const call of calls) {
      const { errors, data } = await checkAgainstSchema(call);
      // THEN the variables and the answer fit the schema, and the answer has no extra field
      expect({ operation: call.operationName, errors }).toEqual({
        operation: call.operationName,
        errors: [],
      });
      expect(data).toEqual((call.answer as { data: unknown }).data);
    }
  });
});
