// The storefront block (extensions/referral-block) rendered outside Shopify, with liquidjs, the
// way a theme renders it: its schema's settings, the app-data metafields, the `t` filter over
// its locale, and the stylesheet Shopify links for it. The block's weight test and the bench's
// storefront Lighthouse page both render it here.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { Liquid } from "liquidjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const referralBlockDir = path.join(root, "extensions/referral-block");
const blockFile = path.join(referralBlockDir, "blocks/referral-banner.liquid");
const localeFile = path.join(referralBlockDir, "locales/en.default.json");

const SCHEMA_TAG = /{%-?\s*schema\s*-?%}([\s\S]*?){%-?\s*endschema\s*-?%}/;

/** The block's Liquid source (without the schema tag) and its `{% schema %}`. */
export function readReferralBlock() {
  const source = readFileSync(blockFile, "utf8");
  const match = SCHEMA_TAG.exec(source);
  if (!match) throw new Error(`${blockFile} has no schema`);
  // Shopify reads `{% schema %}` and never renders it.
  return { source: source.replace(SCHEMA_TAG, ""), schema: JSON.parse(match[1]) };
}

/** The stylesheet the schema names (Shopify adds it once per page that shows the block). */
export function readReferralBlockStylesheet() {
  const { schema } = readReferralBlock();
  const file = path.join(referralBlockDir, "assets", schema.stylesheet);
  return { name: schema.stylesheet, css: readFileSync(file, "utf8") };
}

/** Every setting at its schema default. */
export function defaultSettings(schema = readReferralBlock().schema) {
  return Object.fromEntries(schema.settings.map((setting) => [setting.id, setting.default ?? ""]));
}

function createEngine() {
  const engine = new Liquid({ strictFilters: true });
  const locale = JSON.parse(readFileSync(localeFile, "utf8"));
  engine.registerFilter("t", (key) => {
    const value = String(key)
      .split(".")
      .reduce((node, part) => node?.[part], locale);
    if (typeof value !== "string") throw new Error(`No translation for ${key}`);
    return value;
  });
  return engine;
}

/**
 * Renders the block. `settings` override the schema defaults; `metafields` are the app-data
 * metafields the app publishes (null: not published yet); `designMode` is the theme editor.
 */
export async function renderReferralBlock({
  settings = {},
  metafields = {
    referral_code: "store-chen-well-a1b2",
    referral_link: "https://referrals.example/r/store-chen-well-a1b2?channel=storefront",
  },
  designMode = false,
} = {}) {
  const { source, schema } = readReferralBlock();
  const wrap = (value) => ({ value });
  return createEngine().parseAndRender(source, {
    app: {
      metafields: {
        store_referrals: metafields
          ? {
              referral_code: wrap(metafields.referral_code),
              referral_link: wrap(metafields.referral_link),
            }
          : {},
      },
    },
    block: {
      id: "referral-banner-1",
      settings: { ...defaultSettings(schema), ...settings },
      // Shopify adds the editor's data attribute only inside the theme editor.
      shopify_attributes: designMode
        ? `data-shopify-editor-block="{&quot;id&quot;:&quot;referral-banner-1&quot;}"`
        : "",
    },
    request: { design_mode: designMode },
  });
}

/**
 * A plain storefront page (a heading, a paragraph, a product image placeholder), optionally with
 * the block and its stylesheet, as a theme would put them in a section.
 */
export function storefrontPage({ blockHtml = null, stylesheetHref = null } = {}) {
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="description" content="A partner store of Syntropy Health.">
    <title>Chen's Wellness</title>
    <style>body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; }</style>
    ${stylesheetHref ? `<link rel="stylesheet" href="${stylesheetHref}">` : ""}
  </head>
  <body>
    <header><h1>Chen's Wellness</h1></header>
    <main>
      <p>Herbal teas, supplements and advice from our pharmacists, since 2009.</p>
      <section aria-label="Referral">
        ${blockHtml ?? ""}
      </section>
    </main>
  </body>
</html>
`;
}
