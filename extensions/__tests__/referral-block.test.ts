// The storefront block: valid for Shopify's theme checker, no JavaScript, and reading the
// app-data metafields the app writes on install.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { check } from "@shopify/theme-check-node";
import { describe, expect, it } from "vitest";

import { REFERRAL_METAFIELD_NAMESPACE } from "~/lib/shopify/admin-graphql.server";

import { readReferralBlock } from "../../scripts/lib/theme-block.mjs";

const extensionRoot = path.resolve(__dirname, "../referral-block");
const blockPath = path.join(extensionRoot, "blocks/referral-banner.liquid");

async function filesOf(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

interface BlockSchema {
  target: string;
  javascript?: string;
  settings: Array<{ id: string; type: string }>;
}
const schemaOf = () => readReferralBlock().schema as BlockSchema;

describe("storefront block (theme app extension)", () => {
  it("passes Shopify's theme check with zero offenses", async () => {
    const offenses = await check(extensionRoot);
    expect(offenses.map((offense) => `${offense.check}: ${offense.message}`)).toEqual([]);
  });

  it("ships no JavaScript at all", async () => {
    const files = await filesOf(extensionRoot);
    expect(files.filter((file) => file.endsWith(".js"))).toEqual([]);
    const liquid = await readFile(blockPath, "utf8");
    expect(liquid).not.toMatch(/<script/i);
    expect(schemaOf().javascript).toBeUndefined();
  });

  it("links to the storefront link of the app-data metafields, and hides itself without them", async () => {
    const liquid = await readFile(blockPath, "utf8");
    expect(liquid).toContain(`app.metafields.${REFERRAL_METAFIELD_NAMESPACE}.referral_link.value`);
    expect(liquid).toContain(`app.metafields.${REFERRAL_METAFIELD_NAMESPACE}.referral_code.value`);
    expect(liquid).toMatch(/href="{{ referral_link \| escape }}"/);
    // Outside the theme editor nothing renders when the link is missing.
    expect(liquid).toMatch(/{%- elsif request.design_mode -%}/);
  });

  it("lets the merchant edit its text and style in the theme editor", async () => {
    const schema = schemaOf();
    expect(schema.target).toBe("section");
    const settings = Object.fromEntries(
      schema.settings.map((setting) => [setting.id, setting.type]),
    );
    expect(settings).toMatchObject({
      layout: "select",
      heading: "text",
      text: "textarea",
      button_label: "text",
      background_color: "color",
      button_color: "color",
    });
  });
});

describe("shopify.app.toml", () => {
  it("routes every webhook subscription to an existing route named after its topic", async () => {
    const config = await readFile(path.resolve(__dirname, "../../shopify.app.toml"), "utf8");
    const uris = [...config.matchAll(/^\s*uri = "(\/webhooks\/[^"]+)"/gm)].map(
      (match) => match[1]!,
    );
    expect(uris.sort()).toEqual([
      "/webhooks/app/scopes_update",
      "/webhooks/app/uninstalled",
      "/webhooks/customers/data_request",
      "/webhooks/customers/redact",
      "/webhooks/shop/redact",
      "/webhooks/shop/update",
    ]);
    const routes = await readdir(path.resolve(__dirname, "../../app/routes"));
    for (const uri of uris) {
      expect(routes).toContain(`${uri.slice(1).replaceAll("/", ".")}.tsx`);
    }
    expect(config).toMatch(/^scopes = ""$/m);
  });
});
