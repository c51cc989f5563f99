// Every page a person sees, checked by axe-core (Deque's engine, the one Lighthouse and Chrome's
// own tools use) in Chromium: each admin page in the local preview (and its states: the chart's
// table, a key just created, the revoke dialog, a bad filter, an unknown page), the landing page,
// sign-up, sign-in, /welcome, the admin's login and a 404. No serious or critical violation is
// allowed; the moderate and minor ones are printed. Then the admin's main actions with the
// keyboard only: copy the link, change the chart's range, filter, export, create and revoke a key.
import AxeBuilder from "@axe-core/playwright";
import type { Locator, Page } from "playwright-core";
import { expect, it } from "vitest";

import {
  adminFrame,
  describeInBrowser,
  download,
  openAdminPreview,
  testServer,
  toasts,
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

/** Whether `target` has the keyboard focus (in its own frame, that frame focused). */
function isFocused(target: Locator) {
  return target.evaluate(
    (element) =>
      element === element.ownerDocument.activeElement && element.ownerDocument.hasFocus(),
  );
}

/**
 * Presses Tab (Shift+Tab with `backwards`) until `target` has the focus, at most `limit` times;
 * returns how many presses it took. Fails when it never gets there.
 */
async function tabTo(page: Page, target: Locator, { limit = 40, backwards = false } = {}) {
  await target.waitFor();
  for (let presses = 1; presses <= limit; presses++) {
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
    if (await isFocused(target)) return presses;
  }
  throw new Error(`${String(target)} was not reached in ${limit} presses of Tab`);
}

/** The admin path the preview's address shows (it follows the app). */
function previewPath(page: Page) {
  return new URL(page.url()).searchParams.get("path");
}

describeInBrowser("accessibility (axe-core) of every page a person sees", () => {
  const session = useSessionPerTest(useChromium());

  it("finds no serious or critical violation on any admin page of the local preview", async () => {
    const { page } = session();
    const { demo } = testServer();
    const audits: PageAudit[] = [];
    const pages = [
      { label: "admin home (30 days)", path: "/app", title: "Referrals" },
      { label: "admin home (90 days)", path: "/app?range=90d", title: "Referrals" },
      { label: "Performance (by channel)", path: "/app/performance", title: "Performance" },
      {
        label: "Performance (by campaign, 90 days)",
        path: "/app/performance?dimension=utm_campaign&range=90d",
        title: "Performance",
      },
      { label: "referral events", path: "/app/referrals", title: "Referral events" },
      { label: "in-store kit", path: "/app/kit", title: "In-store kit" },
      { label: "settings", path: "/app/settings", title: "Settings" },
      { label: "Integration API", path: "/app/api-keys", title: "Integration API" },
      { label: "Webhooks", path: "/app/webhooks", title: "Webhooks" },
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

    // … the custom range's DatePicker, open in its popover
    const performance = await openAdminPreview(page, { path: "/app/performance" });
    await performance.getByRole("button", { name: "Custom range" }).click();
    await performance.getByRole("button", { name: "Apply", exact: true }).waitFor();
    audits.push(await audit(page, "Performance, the custom range's DatePicker"));

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
        text: "Correct the filters above to see events",
      },
      {
        label: "Performance, a bad range",
        path: "/app/performance?range=custom&from=2026-03-02&to=2026-03-01",
        text: "This date range cannot be shown",
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
    // (20 page states, each opened and audited: more than the default minute on a busy machine)
  }, 180_000);

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

  it("lets the admin's main actions be done with the keyboard only", async () => {
    const { page } = session();
    const { baseUrl, demo } = testServer();
    const tabCounts: string[] = [];

    // GIVEN the admin home, nothing clicked: the keyboard starts at the top of the preview
    const home = await openAdminPreview(page);
    const copyButton = home.getByRole("button", { name: "Copy link" });
    // WHEN Tab reaches "Copy link" and Enter presses it
    tabCounts.push(`Copy link ${await tabTo(page, copyButton)}`);
    await page.keyboard.press("Enter");
    // THEN the link is copied, with the toast
    await toasts(page).filter({ hasText: "Referral link copied" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      `${baseUrl}/?ref=${demo.referralCode}`,
    );

    // WHEN Tab goes on to the chart's "90 days" and Enter follows it
    const ninetyDays = home.getByRole("button", { name: "90 days" });
    tabCounts.push(`90 days ${await tabTo(page, ninetyDays, { limit: 10 })}`);
    await page.keyboard.press("Enter");
    // THEN the chart shows 90 days
    await expect.poll(() => previewPath(page)).toBe("/app?range=90d");
    await home.getByRole("img", { name: /over 90 days/ }).waitFor();
    // … and the chart is one stop, not one per day: from the last control above it (the link
    // to the Performance page) the next control is a press or two away
    const showTable = home.getByRole("button", { name: "Show the figures as a table" });
    await tabTo(page, home.getByRole("link", { name: "Performance by channel and campaign" }), {
      limit: 30,
    });
    const pressesPastChart = await tabTo(page, showTable, { limit: 3 });
    tabCounts.push(`Performance link → past the chart ${pressesPastChart}`);
    await page.keyboard.press("Enter");
    await home.getByRole("table", { name: "Daily clicks and sign-ups" }).waitFor();
    expect(await home.locator(".referral-chart__table tbody tr").count()).toBe(90);

    // GIVEN the referral events
    const events = await openAdminPreview(page, { path: "/app/referrals" });
    await events.locator("table tbody tr").first().waitFor();
    // WHEN the filters are chosen by typing in the focused selects and applied with Enter
    tabCounts.push(`Status ${await tabTo(page, events.getByRole("combobox", { name: "Status" }))}`);
    await page.keyboard.type("Signed");
    await page.keyboard.press("Tab");
    expect(await isFocused(events.getByRole("combobox", { name: "Channel" }))).toBe(true);
    await page.keyboard.type("QR");
    // (past the two date fields: Chromium stops at each part of a date, month, day and year)
    const apply = events.getByRole("button", { name: "Apply filters" });
    tabCounts.push(`Apply filters ${await tabTo(page, apply, { limit: 14 })}`);
    await page.keyboard.press("Enter");
    // THEN the list is filtered
    await expect.poll(() => previewPath(page)).toContain("status=signed_up");
    expect(previewPath(page)).toContain("channel=qr");
    await expect
      .poll(async () =>
        (await events.locator("table tbody tr").allTextContents()).every(
          // "Signed up (including active)": an active user's row says "Active".
          (row) => (row.includes("Signed up") || row.includes("Active")) && row.includes("QR code"),
        ),
      )
      .toBe(true);
    // WHEN Tab reaches "Export CSV" and Enter presses it
    const exportButton = events.getByRole("button", { name: "Export CSV" });
    tabCounts.push(`Export CSV ${await tabTo(page, exportButton, { limit: 5 })}`);
    const csv = await download(page, () => page.keyboard.press("Enter"));
    // THEN the filtered rows are downloaded
    const lines = csv.body.toString("utf8").trim().split("\n");
    expect(lines[0]).toMatch(/^created_at,status,channel/);
    expect(lines.length).toBeGreaterThan(1);
    // "signed up" includes the users who became active since
    expect(lines.slice(1).every((line) => /,(signed_up|active),qr,/.test(line))).toBe(true);

    // GIVEN the API keys page
    const keys = await openAdminPreview(page, { path: "/app/api-keys" });
    // WHEN a name is typed in the focused field, and Tab and Enter create the key
    tabCounts.push(`Name ${await tabTo(page, keys.getByRole("textbox", { name: "Name" }))}`);
    await page.keyboard.type("Keyboard only");
    const create = keys.getByRole("button", { name: "Create key" });
    tabCounts.push(`Create key ${await tabTo(page, create, { limit: 6 })}`);
    await page.keyboard.press("Enter");
    // THEN the new key is shown once
    const key = await keys.getByRole("textbox", { name: "API key" }).inputValue();
    expect(key).toMatch(/^sr_live_/);
    // WHEN Tab reaches its Revoke button, Enter opens the dialog and Enter confirms
    const row = keys.locator("table tbody tr", { hasText: "Keyboard only" });
    tabCounts.push(`Revoke ${await tabTo(page, row.getByRole("button", { name: "Revoke" }))}`);
    await page.keyboard.press("Enter");
    const dialog = keys.getByRole("dialog");
    await dialog.waitFor();
    tabCounts.push(
      `Revoke key ${await tabTo(page, dialog.getByRole("button", { name: "Revoke key" }), { limit: 6 })}`,
    );
    await page.keyboard.press("Enter");
    // THEN the key is revoked and stops working
    await row.getByText(/^Revoked/).waitFor();
    const answer = await fetch(`${baseUrl}/api/v1/analytics/summary`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(answer.status).toBe(401);

    console.info(`[keyboard] Tab presses to each control: ${tabCounts.join(", ")}`);
    session().expectNoProblems();
  });
});
