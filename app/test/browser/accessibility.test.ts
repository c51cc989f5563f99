// Every page a person sees, checked by axe-core (Deque's engine, the one Lighthouse and Chrome's
// own tools use) in Chromium: each admin page in the local preview (and its states: the chart's
// table, a key just created, the revoke dialog, a bad filter, an unknown page), the landing page,
// sign-up, sign-in, /welcome, the admin's login and a 404. No serious or critical violation is
// allowed; the moderate and minor ones are printed.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { expect, it } from "vitest";

import {
  adminFrame,
  describeInBrowser,
  openAdminPreview,
  testServer,
  useChromium,
  useSessionPerTest,
} from "~/test/browser/browser";

interface PageAudit {
  page: string;
  blocking: string[];
  other: string[];
}

/** axe-core over the page and its frames, split by impact. */
async function audit(page: Page, label: string): Promise<PageAudit> {
  const results = await new AxeBuilder({ page }).analyze();
  const describe = (violation: (typeof results.violations)[number]) =>
    `${violation.id} (${violation.impact}): ${violation.nodes
      .slice(0, 3)
      .map((node) => node.target.join(" >> "))
      .join(", ")}${violation.nodes.length > 3 ? ` and ${violation.nodes.length - 3} more` : ""}`;
  const blocking = results.violations.filter(
    (violation) => violation.impact === "serious" || violation.impact === "critical",
  );
  const other = results.violations.filter((violation) => !blocking.includes(violation));
  return { page: label, blocking: blocking.map(describe), other: other.map(describe) };
}

function report(audits: PageAudit[]) {
  console.info(
    [
      `[accessibility] axe-core, ${audits.length} pages: serious or critical / moderate or minor`,
      ...audits.map(
        ({ page, blocking, other }) =>
          `  ${page}: ${blocking.length} / ${other.length}${other.length ? ` (${other.join("; ")})` : ""}`,
      ),
    ].join("\n"),
  );
}

describeInBrowser("accessibility (axe-core) of every page a person sees", () => {
  const session = useSessionPerTest(useChromium());

  it("finds no serious or critical violation on any admin page of the local preview", async () => {
    const { page } = session();
    const { demo } = testServer();
    const audits: PageAudit[] = [];
    const pages = [
      { label: "admin home (30 days)", path: "/app", title: "Referrals" },
      { label: "admin home (90 days)", path: "/app?days=90", title: "Referrals" },
      { label: "referral events", path: "/app/referrals", title: "Referral events" },
      { label: "in-store kit", path: "/app/kit", title: "In-store kit" },
      { label: "settings", path: "/app/settings", title: "Settings" },
      { label: "API keys", path: "/app/api-keys", title: "API keys" },
    ];
    for (const { label, path, title } of pages) {
      // GIVEN the page opened in the preview
      const frame = await openAdminPreview(page, { path });
      await frame.getByRole("heading", { level: 1, name: title }).waitFor();
      // WHEN axe-core checks it (the preview page and the app's frame)
      audits.push(await audit(page, label));
    }

    // … the chart's figures shown as a table
    const home = await openAdminPreview(page);
    await home.getByRole("button", { name: "Show the figures as a table" }).click();
    await home.getByRole("table", { name: "Daily clicks and sign-ups" }).waitFor();
    audits.push(await audit(page, "admin home, the chart's table shown"));

    // … a key just created (its one-time banner), then the revoke dialog
    const keys = await openAdminPreview(page, { path: "/app/api-keys" });
    await keys.getByRole("textbox", { name: "Name" }).fill("Accessibility check");
    await keys.getByRole("button", { name: "Create key" }).click();
    await keys.getByRole("textbox", { name: "API key" }).waitFor();
    audits.push(await audit(page, "API keys, a key just created"));
    await keys
      .locator("table tbody tr", { hasText: "Accessibility check" })
      .getByRole("button", { name: "Revoke" })
      .click();
    await keys.getByRole("dialog").waitFor();
    audits.push(await audit(page, "API keys, the revoke dialog"));
    await keys.getByRole("button", { name: "Revoke key" }).click();
    await keys.getByRole("dialog").waitFor({ state: "detached" });

    // … a new store's empty home
    const empty = await openAdminPreview(page, { shop: demo.newShopDomain });
    await empty.getByText("Share your link to get your first referral").waitFor();
    audits.push(await audit(page, "a new store's home (empty state)"));

    // … a filter that is not a date (the page explains it), and an admin page that does not exist
    for (const { label, path, text } of [
      {
        label: "referral events, a bad filter",
        path: "/app/referrals?from=notadate",
        text: "These filters cannot be applied",
      },
      { label: "admin, an unknown page", path: "/app/no-such-page", text: "Not found" },
    ]) {
      await page.goto(`${testServer().baseUrl}/demo/admin?path=${encodeURIComponent(path)}`);
      await adminFrame(page).getByText(text).first().waitFor();
      audits.push(await audit(page, label));
    }

    // THEN none has a serious or critical violation
    report(audits);
    expect(audits.filter((result) => result.blocking.length > 0)).toEqual([]);
  });

  it("finds no serious or critical violation on the public pages and the error pages", async () => {
    const { page } = session();
    const { baseUrl, demo } = testServer();
    const pages = [
      { label: "landing page (a store's link)", path: `/?ref=${demo.referralCode}`, status: 200 },
      { label: "landing page (no link)", path: "/", status: 200 },
      { label: "sign-up", path: "/sign-up", status: 200 },
      { label: "sign-in", path: "/sign-in", status: 200 },
      { label: "welcome", path: "/welcome", status: 200 },
      { label: "the admin's login (outside Shopify)", path: "/auth/login", status: 200 },
      { label: "a page that does not exist (404)", path: "/no-such-page", status: 404 },
    ];
    const audits: PageAudit[] = [];
    for (const { label, path, status } of pages) {
      // GIVEN the page, loaded
      const response = await page.goto(`${baseUrl}${path}`);
      expect(response?.status(), label).toBe(status);
      await page.waitForLoadState("load");
      // WHEN axe-core checks it
      audits.push(await audit(page, label));
    }
    // THEN none has a serious or critical violation
    report(audits);
    expect(audits.filter((result) => result.blocking.length > 0)).toEqual([]);
  });
});
