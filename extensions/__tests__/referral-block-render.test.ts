// The storefront block's weight on a shopper's page, rendered with liquidjs as a theme renders it:
// no script, a stylesheet under 2 KB, and valid HTML for its defaults and for other settings.
import { HtmlValidate } from "html-validate";
import { describe, expect, it } from "vitest";

import {
  readReferralBlockStylesheet,
  renderReferralBlock,
  storefrontPage,
} from "../../scripts/lib/theme-block.mjs";

const htmlValidate = new HtmlValidate({
  extends: ["html-validate:recommended"],
  rules: {
    // The merchant's colours reach the stylesheet as CSS variables on the block's own element,
    // the usual way for a theme block (its settings cannot be in a static asset).
    "no-inline-style": "off",
  },
});

/** The block in a whole storefront page with its stylesheet, validated as a browser would get it. */
async function validateInPage(blockHtml: string) {
  const page = storefrontPage({ blockHtml, stylesheetHref: "/assets/referral-block.css" });
  const report = await htmlValidate.validateString(page);
  return report.results.flatMap((result) =>
    result.messages.map((message) => `${message.ruleId}: ${message.message}`),
  );
}

const SETTINGS: Array<[string, Record<string, string>]> = [
  ["the schema's defaults", {}],
  ["the button-only style, left aligned", { layout: "button", alignment: "left" }],
  ["an empty heading and text", { heading: "", text: "" }],
  [
    "merchant text with markup in it",
    {
      heading: `<script>alert("x")</script> Chen's "best" teas`,
      text: "Tea & <b>more</b>\nOn two lines",
      button_label: "<img src=x onerror=alert(1)>Join",
      background_color: "#000000",
    },
  ],
];

describe("storefront block, rendered", () => {
  it.each(SETTINGS)("renders valid HTML with no script for %s", async (_name, settings) => {
    // GIVEN a store whose link is published, and the block with these settings
    // WHEN the block renders
    const html = await renderReferralBlock({ settings });
    // THEN it shows the link, has no script and no inline handler, and is valid HTML
    expect(html).toContain(
      'href="https://referrals.example/r/store-chen-well-a1b2?channel=storefront"',
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
    expect(await validateInPage(html)).toEqual([]);
  });

  it("shows the merchant's text escaped, with the schema's defaults otherwise", async () => {
    const html = await renderReferralBlock({ settings: { heading: "<b>Hi</b>" } });
    expect(html).toContain("&lt;b&gt;Hi&lt;/b&gt;");
    expect(html).toContain("Create your free Syntropy Health account through our store.");
    expect(html).toContain("store-referral-block--banner store-referral-block--center");
  });

  it("renders nothing for shoppers, and a valid hint in the theme editor, before the link is published", async () => {
    expect((await renderReferralBlock({ metafields: null })).trim()).toBe("");
    const hint = await renderReferralBlock({ metafields: null, designMode: true });
    expect(hint).toContain("your referral link is not connected yet");
    expect(await validateInPage(hint)).toEqual([]);
  });

  it("would report broken markup (the validation can fail)", async () => {
    expect(await validateInPage('<div><a href="/r/x"><a href="/r/y">twice</a></div>')).not.toEqual(
      [],
    );
  });

  it("links a stylesheet under 2 KB, with no further request in it", () => {
    const { name, css } = readReferralBlockStylesheet();
    expect(name).toBe("referral-block.css");
    expect(Buffer.byteLength(css)).toBeLessThan(2048);
    expect(css).not.toMatch(/@import|url\(/);
  });
});
