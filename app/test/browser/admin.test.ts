// The embedded admin in real Chromium, through the local admin preview of `npm run demo`
// (/demo/admin): every page from its navigation, the copy toast, the QR and CSV downloads, the
// referral events' filters and pagination, the settings and API key forms, a second store's
// isolation, and the admin's Web Vitals: LCP, CLS, INP of the main interactions and the
// JavaScript the home ships (printed, never asserted on).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

import jsQR from "jsqr";
import type { BrowserContext, Frame, Page } from "playwright-core";
import { PNG } from "pngjs";
import { expect, it } from "vitest";

import {
  adminFrame,
  describeInBrowser,
  download,
  openAdminPreview,
  openFromNavigation,
  saveScreenshot,
  testServer,
  toasts,
  useChromium,
  useSessionPerTest,
  waitForAdminApp,
} from "~/test/browser/browser";

const ANONYMIZED_USER = /^user-[0-9a-f]{10}$/;

function appFrame(page: Page): Frame {
  const frame = page.frame({ name: "app-iframe" });
  if (!frame) throw new Error("The preview has no app frame.");
  return frame;
}

/** The admin path the preview's address shows (it follows the app). */
function previewPath(page: Page) {
  return new URL(page.url()).searchParams.get("path");
}

declare global {
  interface Window {
    /** Event Timing entries of interactions, as recorded by recordInteractions(). */
    __interactionTimings?: Array<{ interactionId: number; name: string; duration: number }>;
  }
}

/**
 * Records, in every document of the context (the app's frame included), the Event Timing entries
 * of interactions (clicks, taps, key presses): what INP is computed from.
 */
async function recordInteractions(context: BrowserContext) {
  await context.addInitScript(() => {
    window.__interactionTimings = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as Array<
        PerformanceEventTiming & { interactionId?: number }
      >) {
        if (!entry.interactionId) continue;
        window.__interactionTimings!.push({
          interactionId: entry.interactionId,
          name: entry.name,
          duration: entry.duration,
        });
      }
      // 16 ms is the smallest threshold the browser allows: every interaction is seen.
    }).observe({ type: "event", buffered: true, durationThreshold: 16 } as PerformanceObserverInit);
  });
}

/**
 * Does `action` and returns the latency of its slowest interaction in the app's frame (INP's
 * unit: from the input to the next paint, handlers included), once the browser reported it.
 */
async function interactionLatency(page: Page, action: () => Promise<void>) {
  const drain = () => appFrame(page).evaluate(() => window.__interactionTimings?.splice(0) ?? []);
  await drain();
  await action();
  // Event Timing entries arrive after the next paint: wait for them a little.
  let timings: Awaited<ReturnType<typeof drain>> = [];
  for (let attempt = 0; attempt < 20 && timings.length === 0; attempt++) {
    await page.waitForTimeout(50);
    timings = await drain();
  }
  return timings.length ? Math.max(...timings.map((timing) => timing.duration)) : null;
}

function parseCsv(body: Buffer) {
  const [header, ...lines] = body.toString("utf8").trim().split("\n");
  const columns = header!.split(",");
  // The export's values never contain commas in the demo data (no campaign names with commas).
  return lines.map((line) =>
    Object.fromEntries(line.split(",").map((value, index) => [columns[index]!, value])),
  );
}

describeInBrowser("the admin in Chromium, through the local admin preview", () => {
  const session = useSessionPerTest(useChromium());

  it("says it is a local preview and opens every admin page from its navigation", async () => {
    // GIVEN the demo store's admin in the preview
    const { page } = session();
    const frame = await openAdminPreview(page);
    await frame.getByRole("heading", { level: 1, name: "Referrals" }).waitFor();
    expect(await page.getByRole("note").textContent()).toContain(
      "Local preview — not the Shopify admin",
    );
    await saveScreenshot(page, "admin-home", { inReadme: true });

    // WHEN each entry of the navigation (the app's <ui-nav-menu> links) is clicked
    const pages = [
      {
        link: "Performance",
        title: "Performance",
        path: "/app/performance",
        shot: null,
      },
      {
        link: "Referral events",
        title: "Referral events",
        path: "/app/referrals",
        shot: "admin-referrals",
      },
      { link: "In-store kit", title: "In-store kit", path: "/app/kit", shot: "admin-kit" },
      { link: "Settings", title: "Settings", path: "/app/settings", shot: "admin-settings" },
      {
        link: "Integration API",
        title: "Integration API",
        path: "/app/api-keys",
        shot: "admin-api-keys",
      },
      { link: "Webhooks", title: "Webhooks", path: "/app/webhooks", shot: null },
      { link: "Store Referrals", title: "Referrals", path: "/app", shot: null },
    ];
    for (const { link, title, path: adminPath, shot } of pages) {
      await openFromNavigation(page, link, title);
      // THEN the app shows that page, the address and the navigation follow it
      expect(previewPath(page)).toBe(adminPath);
      expect(await page.locator('nav a[aria-current="page"]').textContent()).toBe(link);
      if (shot) await saveScreenshot(page, shot, { inReadme: shot !== "admin-api-keys" });
    }
    session().expectNoProblems();
  });

  it("copies the referral link and shows App Bridge's toast", async () => {
    // GIVEN the admin home
    const { page } = session();
    const frame = await openAdminPreview(page);
    const link = await frame.getByRole("textbox", { name: "Referral link" }).inputValue();
    // WHEN the copy button is clicked
    await frame.getByRole("button", { name: "Copy link" }).click();
    // THEN the admin shows the toast and the clipboard holds the link
    await toasts(page).filter({ hasText: "Referral link copied" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    expect(link).toBe(`${testServer().baseUrl}/?ref=${testServer().demo.referralCode}`);
    session().expectNoProblems();
  });

  it("downloads the QR code as a PNG that decodes back to the store's QR link, and as SVG", async () => {
    // GIVEN the in-store kit
    const { page } = session();
    const frame = await openAdminPreview(page, { path: "/app/kit" });
    const { baseUrl, demo } = testServer();
    // (the "In-store signage" preset's link: its UTM parameters and the QR channel)
    const qrLink = `${baseUrl}/?ref=${demo.referralCode}&utm_source=in_store&utm_medium=signage&channel=qr`;
    await frame.getByText(qrLink, { exact: true }).waitFor();

    // WHEN both downloads are clicked
    const png = await download(page, () =>
      frame.getByRole("button", { name: "Download PNG" }).click(),
    );
    const svg = await download(page, () =>
      frame.getByRole("button", { name: "Download SVG" }).click(),
    );

    // THEN each download says so
    await toasts(page)
      .filter({ hasText: `Downloaded ${png.filename}` })
      .waitFor();
    await toasts(page)
      .filter({ hasText: `Downloaded ${svg.filename}` })
      .waitFor();
    // AND the PNG is a valid image whose QR code reads as the link the page shows
    expect(png.filename).toMatch(/-referral-qr\.png$/);
    const image = PNG.sync.read(png.body);
    expect(image.width).toBeGreaterThanOrEqual(1000);
    const decoded = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
    expect(decoded?.data).toBe(qrLink);
    // AND the SVG is a vector drawing of it
    expect(svg.filename).toMatch(/-referral-qr\.svg$/);
    expect(svg.body.toString("utf8")).toMatch(/<svg[^>]*>[\s\S]*<path/);
    session().expectNoProblems();
  });

  it("pages through the referral events, filters them, and exports the same rows as CSV", async () => {
    // GIVEN the demo store's referral events (~3,000: more than one page)
    const { page } = session();
    const frame = await openAdminPreview(page, { path: "/app/referrals" });
    const rows = frame.locator("table tbody tr");
    await rows.first().waitFor();
    expect(await rows.count()).toBe(50);
    const firstRow = await rows.first().textContent();

    // WHEN the next page is opened, then the previous one
    await frame.getByRole("button", { name: "Next" }).click();
    await expect.poll(() => previewPath(page)).toContain("after=");
    await expect.poll(() => rows.first().textContent()).not.toBe(firstRow);
    await frame.getByRole("button", { name: "Previous" }).click();
    await expect.poll(() => previewPath(page)).toContain("before=");
    // THEN the first page comes back
    await expect.poll(() => rows.first().textContent()).toBe(firstRow);

    // WHEN the events are filtered to sign-ups from QR codes
    await frame.getByRole("combobox", { name: "Status" }).selectOption("signed_up");
    await frame.getByRole("combobox", { name: "Channel" }).selectOption("qr");
    await frame.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(() => previewPath(page)).toContain("status=signed_up");
    await expect
      .poll(async () => (await rows.allTextContents()).every((row) => /Signed up|Active/.test(row)))
      .toBe(true);
    const shown = await rows.evaluateAll((elements) =>
      elements.map((row) => Array.from(row.querySelectorAll("td")).map((cell) => cell.textContent)),
    );
    // THEN every row is a QR sign-up (active users included) with an anonymized user and its
    // sign-up date
    expect(shown.length).toBeGreaterThan(0);
    for (const [, status, channel, user, signedUp] of shown) {
      // (a badge's text starts with its tone, visually hidden: "Info")
      expect(status).toMatch(/(Signed up|Active)$/);
      expect(channel).toBe("QR code");
      expect(user).toMatch(ANONYMIZED_USER);
      expect(signedUp).not.toBe("—");
    }

    // WHEN the CSV is exported with these filters
    const csv = await download(page, () =>
      frame.getByRole("button", { name: "Export CSV" }).click(),
    );
    const exported = parseCsv(csv.body);
    // THEN it holds the same rows, in the same order, anonymized
    expect(csv.filename).toMatch(/\.csv$/);
    expect(exported.slice(0, shown.length).map((row) => row.referred_user)).toEqual(
      shown.map(([, , , user]) => user),
    );
    for (const row of exported) {
      expect(row).toMatchObject({ channel: "qr" });
      expect(["signed_up", "active"]).toContain(row.status);
      expect(row.referred_user).toMatch(ANONYMIZED_USER);
    }
    session().expectNoProblems();
  });

  it("counts the sign-ups as the home does, says where the page is, and Clear resets the controls", async () => {
    // GIVEN the demo's referral events, and the home's total signups through the API
    const { page } = session();
    const { baseUrl, demo } = testServer();
    const summary = (await (
      await fetch(`${baseUrl}/api/v1/analytics/summary`, {
        headers: { authorization: `Bearer ${demo.apiKey}` },
      })
    ).json()) as { total_clicks: number; total_signups: number };
    const frame = await openAdminPreview(page, { path: "/app/referrals" });
    const countLine = frame.locator("#referral-events-count");
    // THEN the page says how many events there are, and which page this is
    expect(await countLine.textContent()).toBe(
      `1–50 of ${summary.total_clicks.toLocaleString("en-US")} events`,
    );
    const pages = Math.ceil(summary.total_clicks / 50);
    await frame.getByText(`Page 1 of ${pages}`).waitFor();
    await frame.getByRole("button", { name: "Next" }).click();
    await frame.getByText(`Page 2 of ${pages}`).waitFor();
    expect(await countLine.textContent()).toMatch(/^51–100 of /);

    // WHEN the events are filtered to sign-ups, a channel and a date range
    await frame.getByRole("combobox", { name: "Status" }).selectOption("signed_up");
    await frame.getByRole("button", { name: "Apply filters" }).click();
    // THEN "Signed up (including active)" counts what the home's total signups counts
    await expect
      .poll(() => countLine.textContent())
      .toBe(`1–50 of ${summary.total_signups.toLocaleString("en-US")} matching events`);
    await frame.getByRole("combobox", { name: "Channel" }).selectOption("qr");
    await frame.getByLabel("Clicked from").fill("2026-01-01");
    await frame.getByLabel("Clicked to").fill("2099-12-31");
    await frame.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(() => previewPath(page)).toContain("channel=qr");

    // WHEN Clear is clicked
    await frame.getByRole("link", { name: "Clear" }).click();
    await expect.poll(() => previewPath(page)).toBe("/app/referrals");
    // THEN the controls show what the table shows: no filter
    await expect.poll(() => frame.getByRole("combobox", { name: "Status" }).inputValue()).toBe("");
    expect(await frame.getByRole("combobox", { name: "Channel" }).inputValue()).toBe("");
    expect(await frame.getByLabel("Clicked from").inputValue()).toBe("");
    expect(await frame.getByLabel("Clicked to").inputValue()).toBe("");
    expect(await countLine.textContent()).toMatch(/^1–50 of [\d,]+ events$/);
    // AND the export exports that: every event
    const csv = await download(page, () =>
      frame.getByRole("button", { name: "Export CSV" }).click(),
    );
    expect(parseCsv(csv.body)).toHaveLength(summary.total_clicks);
    session().expectNoProblems();
  });

  it("says beside the field what is wrong with a filter, and keeps the page and the values", async () => {
    // GIVEN the referral events
    const { page } = session();
    const frame = await openAdminPreview(page, { path: "/app/referrals" });
    await frame.locator("table tbody tr").first().waitFor();

    // WHEN From is after To
    await frame.getByLabel("Clicked from").fill("2026-11-20");
    await frame.getByLabel("Clicked to").fill("2026-11-10");
    await frame.getByRole("button", { name: "Apply filters" }).click();
    // THEN the page stays, with the message beside From and both dates kept
    await frame.getByText('"From" must be on or before "To".').waitFor();
    await frame.getByRole("heading", { level: 1, name: "Referral events" }).waitFor();
    expect(await frame.getByLabel("Clicked from").inputValue()).toBe("2026-11-20");
    expect(await frame.getByLabel("Clicked to").inputValue()).toBe("2026-11-10");
    expect(await frame.getByLabel("Clicked from").getAttribute("aria-invalid")).toBe("true");

    // WHEN the address carries a status that does not exist
    await page.goto(
      `${testServer().baseUrl}/demo/admin?path=${encodeURIComponent("/app/referrals?status=won&channel=qr")}`,
    );
    await waitForAdminApp(page);
    // THEN the message is in words beside Status (not the validator's), the channel kept
    await adminFrame(page)
      .getByText("Choose a status from the list (one of clicked, signed_up, active).")
      .waitFor();
    expect(
      await adminFrame(page)
        .getByText(/Invalid option/)
        .count(),
    ).toBe(0);
    expect(await adminFrame(page).getByRole("combobox", { name: "Channel" }).inputValue()).toBe(
      "qr",
    );
    // (the only problems are the two 400s themselves)
    expect(session().problems.filter((problem) => !problem.includes("HTTP 400"))).toEqual([]);
  });

  it("builds links in the words the kit, the demo history and the events use, never cut off", async () => {
    // GIVEN the link builder, with the "In-store signage" preset and a long campaign name
    const { page } = session();
    const frame = await openAdminPreview(page, { path: "/app/settings" });
    await frame
      .getByRole("combobox", { name: "Where will you share it?" })
      .selectOption("in_store");
    const field = frame.getByRole("textbox", { name: "Your link" });
    const withoutCampaign = await field.inputValue();
    await frame
      .getByRole("textbox", { name: "Campaign (optional)" })
      .fill("spring-2026-shelf-talkers");
    // THEN the whole link, campaign included, is visible in its field
    await expect.poll(() => field.inputValue()).toContain("utm_campaign=spring-2026-shelf-talkers");
    // (Polaris sizes a multiline field to its text after rendering; a few pixels of padding may
    // overflow, never a line of text)
    await expect
      .poll(() =>
        field.evaluate(
          (element) =>
            element.scrollWidth <= element.clientWidth &&
            element.scrollHeight - element.clientHeight < 8,
        ),
      )
      .toBe(true);

    // AND the kit prints that preset's link as its QR code, as the preset says
    await openFromNavigation(page, "In-store kit", "In-store kit");
    await adminFrame(page).getByText(withoutCampaign, { exact: true }).waitFor();

    // AND the demo's history is tagged with the presets' words (channel "other" is what no
    // preset makes)
    const csv = await appFrame(page).evaluate(async () =>
      (await fetch("/app/referrals.csv")).text(),
    );
    const sources = new Set(
      parseCsv(Buffer.from(csv))
        // (the seeded history and the tests' visits; the guide's visits carry its own campaign)
        .filter(
          (row) => row.channel !== "other" && row.utm_source && row.utm_campaign !== "npm-run-demo",
        )
        .map((row) => `${row.utm_source}/${row.utm_medium}`),
    );
    expect([...sources].sort()).toEqual([
      "in_store/signage",
      "instagram/social",
      "newsletter/email",
      "storefront/website",
    ]);
    session().expectNoProblems();
  });

  it("saves the store settings with a toast, and keeps them", async () => {
    // GIVEN the settings page
    const { page } = session();
    const frame = await openAdminPreview(page, { path: "/app/settings" });
    const nameField = frame.getByRole("textbox", { name: "Store name" });
    const originalName = await nameField.inputValue();

    // WHEN the store's name is changed and saved
    await nameField.fill(`${originalName} Downtown`);
    await frame.getByRole("button", { name: "Save" }).click();

    // THEN the toast confirms it and a fresh preview shows the new name
    await toasts(page).filter({ hasText: "Store settings saved" }).waitFor();
    const reopened = await openAdminPreview(page, { path: "/app/settings" });
    expect(await reopened.getByRole("textbox", { name: "Store name" }).inputValue()).toBe(
      `${originalName} Downtown`,
    );
    expect(await page.locator("header").textContent()).toContain(`${originalName} Downtown`);

    // (the demo store keeps its name for the other tests)
    await reopened.getByRole("textbox", { name: "Store name" }).fill(originalName);
    await reopened.getByRole("button", { name: "Save" }).click();
    await toasts(page).filter({ hasText: "Store settings saved" }).waitFor();
    session().expectNoProblems();
  });

  it("checks and publishes the storefront block's link without leaving the machine", async () => {
    // GIVEN the settings page of the demo store (whose shop does not exist on Shopify)
    const { page } = session();
    const frame = await openAdminPreview(page, { path: "/app/settings" });
    // THEN the block's status was read (from the preview's local Admin API): not set up yet
    await frame.getByText("The block has no link yet", { exact: false }).waitFor();

    // WHEN the link is published to the block
    await frame.getByRole("button", { name: "Publish link to the block" }).click();
    // THEN it is, and the page says so
    await toasts(page).filter({ hasText: "Storefront block updated" }).waitFor();
    await frame.getByText("The block shows your link.", { exact: false }).waitFor();
    expect(await frame.getByRole("button", { name: "Publish link to the block" }).count()).toBe(0);
    // AND the server never tried to reach the shop's Admin API on the internet
    const serverLog = readFileSync(path.join(testServer().resultsDir, "server.log"), "utf8");
    expect(serverLog).not.toMatch(/storefront_link_read_failed|ENOTFOUND|myshopify\.com\/admin/);
    session().expectNoProblems();
  });

  it("creates an Integration API key that works, then revokes it", async () => {
    // GIVEN the API keys page
    const { page } = session();
    const frame = await openAdminPreview(page, { path: "/app/api-keys" });
    const summaryUrl = `${testServer().baseUrl}/api/v1/analytics/summary`;

    // WHEN a key is created
    await frame.getByRole("textbox", { name: "Name" }).fill("Browser test dashboard");
    await frame.getByRole("button", { name: "Create key" }).click();
    const key = await frame.getByRole("textbox", { name: "API key" }).inputValue();

    // THEN its full value is shown once and it reads the store's figures
    expect(key).toMatch(/^sr_live_[A-Za-z0-9_-]{43}$/);
    const before = await fetch(summaryUrl, { headers: { authorization: `Bearer ${key}` } });
    expect(before.status).toBe(200);

    // WHEN it is revoked
    const row = frame.locator("table tbody tr", { hasText: "Browser test dashboard" });
    await row.getByRole("button", { name: "Revoke" }).click();
    await frame.getByRole("button", { name: "Revoke key" }).click();
    // THEN the list says so and the key stops working
    await row.getByText(/^Revoked/).waitFor();
    const after = await fetch(summaryUrl, { headers: { authorization: `Bearer ${key}` } });
    expect(after.status).toBe(401);
    session().expectNoProblems();
  });

  it("shows a second store only its own data, whatever the requests name", async () => {
    // GIVEN the admin of the demo's second store (new, no referrals), and the first store's code
    const { page } = session();
    const { demo } = testServer();
    const frame = await openAdminPreview(page, { shop: demo.newShopDomain });

    // THEN its home is the new store's empty state with its own code
    await frame.getByText("Share your link to get your first referral").waitFor();
    const ownLink = await frame.getByRole("textbox", { name: "Referral link" }).inputValue();
    expect(ownLink).not.toContain(demo.referralCode);
    await saveScreenshot(page, "admin-new-store", { inReadme: true });

    // WHEN its admin asks for the first store's data by name, with its own session token
    const answers = await appFrame(page).evaluate(async (otherShop) => {
      const csv = await fetch(`/app/referrals.csv?shop=${otherShop}`);
      const home = await fetch(`/app?_data=routes%2Fapp._index&shop=${otherShop}`);
      const performance = await fetch(`/app/performance.csv?shop=${otherShop}`);
      return {
        csv: await csv.text(),
        performanceCsv: await performance.text(),
        home: (await home.json()) as {
          referralCode: string;
          summary: { current: { clicks: number } };
        },
      };
    }, demo.shopDomain);

    // THEN it gets its own (empty) data, never the first store's
    expect(answers.csv.trim().split("\n")).toHaveLength(1);
    expect(answers.home.referralCode).not.toBe(demo.referralCode);
    expect(answers.home.summary.current.clicks).toBe(0);
    expect(answers.performanceCsv.trim().split("\n")).toHaveLength(1);
    await openFromNavigation(page, "Referral events", "Referral events");
    await adminFrame(page).getByText("No referral events yet").waitFor();
    session().expectNoProblems();
  });

  it("explains a bad filter in the admin on the page itself, without breaking hydration", async () => {
    // GIVEN the referral events opened with a filter that is not a date
    const { page } = session();
    await page.goto(
      `${testServer().baseUrl}/demo/admin?path=${encodeURIComponent("/app/referrals?from=notadate")}`,
    );
    // THEN the page stays, and a banner says what is wrong, in words
    const frame = adminFrame(page);
    await frame.getByText(/^Enter a date as YYYY-MM-DD/).waitFor();
    await frame.getByRole("heading", { level: 1, name: "Referral events" }).waitFor();
    // … and the only problems are the 400 itself (no page error: the document hydrated)
    expect(session().problems.filter((problem) => !problem.includes("400"))).toEqual([]);
    expect(session().problems.some((problem) => problem.startsWith("page error"))).toBe(false);
  });

  it("shows an unknown admin address as a Polaris page, the navigation kept", async () => {
    // GIVEN an admin address with no page
    const { page } = session();
    const frame = await openAdminPreview(page, { path: "/app/nope" });
    // THEN the app says so in its own page, with a way back, inside the admin
    await frame.getByRole("heading", { level: 1, name: "Page not found" }).waitFor();
    await frame.getByRole("link", { name: "Back to the referrals overview" }).waitFor();
    // AND the navigation is still there and works
    await openFromNavigation(page, "Referral events", "Referral events");
    // (the one problem is the 404 itself)
    expect(session().problems).toEqual([expect.stringMatching(/^HTTP 404: .*\/app\/nope/)]);
  });

  it("says which range the home chart shows (aria-pressed)", async () => {
    // GIVEN the admin home (30 days by default)
    const { page } = session();
    const frame = await openAdminPreview(page);
    const thirty = frame.getByRole("button", { name: "30 days" });
    const ninety = frame.getByRole("button", { name: "90 days" });
    expect([
      await thirty.getAttribute("aria-pressed"),
      await ninety.getAttribute("aria-pressed"),
    ]).toEqual(["true", "false"]);
    // WHEN 90 days is chosen
    await ninety.click();
    await expect.poll(() => previewPath(page)).toBe("/app?range=90d");
    // THEN the buttons say so
    await expect.poll(() => ninety.getAttribute("aria-pressed")).toBe("true");
    expect(await thirty.getAttribute("aria-pressed")).toBe("false");
    session().expectNoProblems();
  });

  it("opens the Performance page, switches dimension and range, and keeps them in the URL over a reload", async () => {
    // GIVEN the demo store's Performance page (by channel, 30 days)
    const { page } = session();
    await openAdminPreview(page);
    await openFromNavigation(page, "Performance", "Performance");
    const frame = adminFrame(page);
    const table = frame.getByRole("table");
    await table.getByRole("button", { name: "Channel" }).waitFor();
    expect(await frame.getByRole("button", { name: "30 days" }).getAttribute("aria-pressed")).toBe(
      "true",
    );

    // WHEN the breakdown switches to campaigns and the range to 90 days
    await frame.getByRole("combobox", { name: "Breakdown by" }).selectOption("utm_campaign");
    await expect.poll(() => previewPath(page)).toBe("/app/performance?dimension=utm_campaign");
    await table.getByRole("button", { name: "Campaign (utm_campaign)" }).waitFor();
    await saveScreenshot(page, "admin-performance", { inReadme: true });
    await frame.getByRole("button", { name: "90 days" }).click();
    await expect
      .poll(() => previewPath(page))
      .toBe("/app/performance?dimension=utm_campaign&range=90d");

    // THEN the table lists the demo's campaigns, each with its change against the period before
    const rows = table.locator("tbody tr");
    await expect.poll(() => rows.count()).toBeGreaterThan(1);
    expect(await rows.first().textContent()).toContain("vs previous period");
    // AND sorting by sign-ups puts the most sign-ups first
    await table.getByRole("button", { name: "Sign-ups" }).click();
    const signupsOf = async () =>
      (
        await rows
          .locator("td:nth-child(3) span[class*='numeric'], td:nth-child(3) .Polaris-Text--numeric")
          .allTextContents()
      ).map((text) => Number(text.replace(/[^0-9]/g, "")));
    await expect
      .poll(async () => {
        const figures = await signupsOf();
        return (
          figures.length > 1 &&
          figures.every((value, index) => index === 0 || figures[index - 1]! >= value)
        );
      })
      .toBe(true);
    // AND the funnel of one campaign can be chosen, and says its steps
    const option = frame.getByRole("combobox", { name: "Funnel for" }).locator("option").nth(1);
    const firstCampaign = (await option.getAttribute("value"))!;
    const firstCampaignLabel = (await option.textContent())!;
    await frame.getByRole("combobox", { name: "Funnel for" }).selectOption(firstCampaign);
    await frame
      .getByRole("list", { name: `Campaign (utm_campaign): ${firstCampaignLabel}`, exact: true })
      .waitFor();

    // WHEN the admin reloads (its address holds the app's path)
    expect(previewPath(page)).toBe(
      `/app/performance?${new URLSearchParams({ dimension: "utm_campaign", range: "90d", value: firstCampaign })}`,
    );
    await page.reload();
    // THEN the same view comes back from the URL alone
    await adminFrame(page)
      .getByRole("table")
      .getByRole("button", { name: "Campaign (utm_campaign)" })
      .waitFor();
    expect(
      await adminFrame(page).getByRole("button", { name: "90 days" }).getAttribute("aria-pressed"),
    ).toBe("true");
    expect(await adminFrame(page).getByRole("combobox", { name: "Funnel for" }).inputValue()).toBe(
      firstCampaign,
    );

    // WHEN a custom range is picked in the DatePicker: the 1st to the 10th of the month before
    await adminFrame(page).getByRole("button", { name: "Custom range" }).click();
    const picker = adminFrame(page).locator(".Polaris-DatePicker");
    await picker.waitFor();
    await picker.getByRole("button", { name: /^Show previous month/ }).click();
    const days = picker.locator("button.Polaris-DatePicker__Day:not([disabled])");
    await days.nth(0).click();
    await days.nth(9).click();
    await adminFrame(page).getByRole("button", { name: "Apply", exact: true }).click();
    // THEN the URL holds it, and the button says a custom range is shown
    await expect
      .poll(() => previewPath(page))
      .toMatch(
        /^\/app\/performance\?dimension=utm_campaign&value=.+&range=custom&from=\d{4}-\d{2}-01&to=\d{4}-\d{2}-10$/,
      );
    await expect
      .poll(() =>
        adminFrame(page).getByRole("button", { name: "Custom range" }).getAttribute("aria-pressed"),
      )
      .toBe("true");
    session().expectNoProblems();
  });

  it("explains a range that is not one on the Performance page, keeping the page", async () => {
    const { page } = session();
    await page.goto(
      `${testServer().baseUrl}/demo/admin?path=${encodeURIComponent("/app/performance?range=custom&from=2026-03-02&to=2026-03-01")}`,
    );
    const frame = adminFrame(page);
    await frame.getByText("This date range cannot be shown").waitFor();
    await frame.getByText("From must not be after to.").waitFor();
    await frame.getByRole("button", { name: "30 days" }).click();
    await expect.poll(() => previewPath(page)).toBe("/app/performance?range=30d");
    await frame.getByRole("table").waitFor();
    // … and the only problems are the 400 itself (no page error: the document hydrated)
    expect(session().problems.filter((problem) => !problem.includes("400"))).toEqual([]);
    expect(session().problems.some((problem) => problem.startsWith("page error"))).toBe(false);
  });

  it("fits the Shopify mobile app's width (390 px): stat cards in a grid, events readable", async () => {
    // GIVEN the admin at 390 px
    const { page } = session();
    await page.setViewportSize({ width: 390, height: 844 });
    const frame = await openAdminPreview(page);
    await frame.getByRole("heading", { name: "Clicks", exact: true }).waitFor();
    // THEN the app uses the whole width and nothing runs off its side
    const frameBox = await page.locator('iframe[name="app-iframe"]').boundingBox();
    expect(frameBox?.width).toBeGreaterThanOrEqual(380);
    const overflow = () =>
      appFrame(page).evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
    expect(await overflow()).toBe(0);
    // AND the four period cards sit two to a row, each inside the screen
    const labels = ["Clicks", "Sign-ups", "Conversion rate", "Active users"];
    const cards = await appFrame(page).evaluate(
      (names) =>
        Array.from(document.querySelectorAll("h3"))
          .filter((heading) => names.includes(heading.textContent ?? ""))
          .map((heading) => {
            const box = heading.closest(".Polaris-ShadowBevel")!.getBoundingClientRect();
            return { top: Math.round(box.top), right: box.right };
          }),
      labels,
    );
    expect(cards).toHaveLength(4);
    expect(new Set(cards.map((card) => card.top)).size).toBe(2);
    for (const card of cards) expect(card.right).toBeLessThanOrEqual(390);

    // WHEN the referral events open
    await openFromNavigation(page, "Referral events", "Referral events");
    await adminFrame(page)
      .getByText(/^1–50 of /)
      .waitFor();
    await adminFrame(page).locator(".Polaris-IndexTable__CondensedList").waitFor();
    // THEN each event shows its date, status and channel without scrolling sideways
    expect(await overflow()).toBe(0);
    const firstRows = await appFrame(page).evaluate(() =>
      Array.from(document.querySelectorAll(".Polaris-IndexTable__CondensedList > li"))
        .slice(0, 10)
        .map((row) => ({ text: row.textContent ?? "", right: row.getBoundingClientRect().right })),
    );
    expect(firstRows).toHaveLength(10);
    for (const row of firstRows) {
      expect(row.text).toMatch(/\d{4}, \d{1,2}:\d{2} [AP]M/);
      expect(row.text).toMatch(/Clicked|Signed up|Active/);
      expect(row.text).toMatch(/Link|QR code|Storefront|Other/);
      expect(row.right).toBeLessThanOrEqual(390);
    }
    // AND sign-ups, the longest rows (user and sign-up date), fit too
    await adminFrame(page).getByRole("combobox", { name: "Status" }).selectOption("signed_up");
    await adminFrame(page).getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(() => previewPath(page)).toContain("status=signed_up");
    await adminFrame(page)
      .getByText(/^1–50 of [\d,]+ matching events$/)
      .waitFor();
    const signUpRows = await appFrame(page).evaluate(() =>
      Array.from(document.querySelectorAll(".Polaris-IndexTable__CondensedList > li")).map(
        (row) => ({ text: row.textContent ?? "", right: row.getBoundingClientRect().right }),
      ),
    );
    expect(signUpRows.length).toBeGreaterThan(0);
    for (const row of signUpRows) {
      expect(row.text).toMatch(/user-[0-9a-f]{10}, signed up /);
      expect(row.right).toBeLessThanOrEqual(390);
    }
    expect(await overflow()).toBe(0);

    // WHEN the Performance page opens
    await openFromNavigation(page, "Performance", "Performance");
    await adminFrame(page).locator(".Polaris-IndexTable__CondensedList").waitFor();
    // THEN its range buttons wrap, its rows stack (each figure named), nothing runs off the side
    expect(await overflow()).toBe(0);
    const performanceRows = await appFrame(page).evaluate(() =>
      Array.from(document.querySelectorAll(".Polaris-IndexTable__CondensedList > li")).map(
        (row) => ({ text: row.textContent ?? "", right: row.getBoundingClientRect().right }),
      ),
    );
    expect(performanceRows.length).toBeGreaterThan(0);
    for (const row of performanceRows) {
      expect(row.text).toMatch(/Clicks: [\d,]+/);
      expect(row.text).toMatch(/Conversion rate: [\d.]+%/);
      expect(row.right).toBeLessThanOrEqual(390);
    }

    // WHEN the API keys open
    await openFromNavigation(page, "Integration API", "Integration API");
    // THEN each key's status and its Revoke button are on screen, nothing runs off the side
    // (Polaris learns the width after hydrating: the stacked rows replace the table then)
    await adminFrame(page).locator(".Polaris-IndexTable__CondensedList").waitFor();
    const revoke = adminFrame(page).getByRole("button", { name: "Revoke" }).first();
    await expect
      .poll(async () => {
        const box = await revoke.boundingBox();
        return box ? box.x + box.width : Number.POSITIVE_INFINITY;
      })
      .toBeLessThanOrEqual(390);
    expect(await overflow()).toBe(0);
    session().expectNoProblems();
  });

  it("reopens a page through the preview when the frame reloads without a session token", async () => {
    // GIVEN the admin home, settled
    const { page } = session();
    await openAdminPreview(page);
    await page.waitForLoadState("networkidle");
    const { baseUrl, demo } = testServer();

    // WHEN the frame itself loads an admin page without id_token (as a hard reload inside it)
    const host = Buffer.from(`admin.shopify.com/store/${demo.shopDomain.split(".")[0]}`).toString(
      "base64url",
    );
    await appFrame(page).goto(`${baseUrl}/app/kit?embedded=1&shop=${demo.shopDomain}&host=${host}`);

    // THEN Shopify's bounce page hands over to the preview, which reopens that page with a token
    await page.waitForURL((url) => url.searchParams.get("path") === "/app/kit");
    await waitForAdminApp(page);
    await adminFrame(page).getByRole("heading", { level: 1, name: "In-store kit" }).waitFor();
    // The bounce page asked for App Bridge on Shopify's CDN: the one request that left (refused).
    expect(session().problems).toEqual([
      "request left the machine: https://cdn.shopify.com/shopifycloud/app-bridge.js",
    ]);
  });

  it("measures the admin home's Web Vitals (LCP, CLS) and prints them", async () => {
    // GIVEN a fresh browser context opening the admin home
    const { page } = session();
    await openAdminPreview(page);
    await adminFrame(page).getByRole("heading", { name: "Clicks", exact: true }).waitFor();

    // WHEN the browser's own PerformanceObservers are read, inside the app's frame and outside
    const collect = () =>
      new Promise<{
        lcp: number | null;
        lcpElement: string | null;
        cls: number;
        ttfb: number;
        domContentLoaded: number;
        load: number;
      }>((resolve) => {
        let lcp: number | null = null;
        let lcpElement: string | null = null;
        let cls = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as Array<
            PerformanceEntry & { element?: Element | null }
          >) {
            lcp = entry.startTime;
            lcpElement = entry.element
              ? `${entry.element.tagName.toLowerCase()}${entry.element.className ? `.${String(entry.element.className).split(" ")[0]}` : ""}`
              : null;
          }
        }).observe({ type: "largest-contentful-paint", buffered: true });
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as Array<
            PerformanceEntry & { value: number; hadRecentInput: boolean }
          >) {
            if (!entry.hadRecentInput) cls += entry.value;
          }
        }).observe({ type: "layout-shift", buffered: true });
        const [navigation] = performance.getEntriesByType(
          "navigation",
        ) as PerformanceNavigationTiming[];
        // Buffered entries are delivered asynchronously: read them after two frames.
        requestAnimationFrame(() =>
          requestAnimationFrame(() =>
            resolve({
              lcp,
              lcpElement,
              cls,
              ttfb: navigation?.responseStart ?? 0,
              domContentLoaded: navigation?.domContentLoadedEventEnd ?? 0,
              load: navigation?.loadEventEnd ?? 0,
            }),
          ),
        );
      });
    const app = await appFrame(page).evaluate(collect);
    const preview = await page.evaluate(collect);

    // THEN both were observed; the figures are printed (speed is the benchmark's business)
    expect(app.lcp).toEqual(expect.any(Number));
    expect(app.cls).toEqual(expect.any(Number));
    const line = (label: string, vitals: typeof app) =>
      `  ${label}: LCP ${Math.round(vitals.lcp ?? 0)} ms (${vitals.lcpElement ?? "?"}), ` +
      `CLS ${vitals.cls.toFixed(3)}, TTFB ${Math.round(vitals.ttfb)} ms, ` +
      `DOMContentLoaded ${Math.round(vitals.domContentLoaded)} ms, load ${Math.round(vitals.load)} ms`;
    console.info(
      [
        "[web vitals] admin home, Chromium, loopback, fresh profile:",
        line("app frame (/app)", app),
        line("preview page (/demo/admin)", preview),
      ].join("\n"),
    );
    const { resultsDir } = testServer();
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(
      path.join(resultsDir, "web-vitals.json"),
      `${JSON.stringify({ app, preview }, null, 2)}\n`,
    );
    session().expectNoProblems();
  });

  it("measures INP of the admin's main interactions and the JavaScript its home ships, and prints them", async () => {
    // GIVEN the admin home in a fresh context that records every interaction's Event Timing
    const { page, context } = session();
    await recordInteractions(context);
    const home = await openAdminPreview(page);
    await page.waitForLoadState("networkidle");
    const latencies: Array<{ interaction: string; ms: number | null }> = [];
    const measure = async (interaction: string, action: () => Promise<void>) => {
      latencies.push({ interaction, ms: await interactionLatency(page, action) });
    };

    // … the JavaScript the home loaded (Resource Timing inside the app's frame)
    const scripts = await appFrame(page).evaluate(() =>
      (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
        .filter((entry) => new URL(entry.name).pathname.endsWith(".js"))
        .map((entry) => ({ url: entry.name, sent: entry.encodedBodySize })),
    );

    // WHEN a merchant does the main actions with the mouse
    await measure("copy the referral link", () =>
      home.getByRole("button", { name: "Copy link" }).click(),
    );
    await measure("chart range: 90 days", async () => {
      await home.getByRole("button", { name: "90 days" }).click();
      await home.getByRole("img", { name: /over 90 days/ }).waitFor();
    });
    await measure("show the chart's figures", async () => {
      await home.getByRole("button", { name: "Show the figures as a table" }).click();
      await home.getByRole("table", { name: "Daily clicks and sign-ups" }).waitFor();
    });
    const events = await openAdminPreview(page, { path: "/app/referrals" });
    await events.locator("table tbody tr").first().waitFor();
    await measure("filter: apply", async () => {
      await events.getByRole("combobox", { name: "Status" }).selectOption("signed_up");
      await events.getByRole("button", { name: "Apply filters" }).click();
      await expect.poll(() => previewPath(page)).toContain("status=signed_up");
    });
    await measure("next page", async () => {
      await events.getByRole("button", { name: "Next" }).click();
      await expect.poll(() => previewPath(page)).toContain("after=");
    });
    await measure("export CSV", async () => {
      await download(page, () => events.getByRole("button", { name: "Export CSV" }).click());
    });
    const keys = await openAdminPreview(page, { path: "/app/api-keys" });
    await measure("type a key's name", () =>
      keys.getByRole("textbox", { name: "Name" }).pressSequentially("Vitals"),
    );
    await measure("create a key", async () => {
      await keys.getByRole("button", { name: "Create key" }).click();
      await keys.getByRole("textbox", { name: "API key" }).waitFor();
    });
    const row = keys.locator("table tbody tr", { hasText: "Vitals" });
    await measure("open the revoke dialog", async () => {
      await row.getByRole("button", { name: "Revoke" }).click();
      await keys.getByRole("dialog").waitFor();
    });
    await measure("revoke the key", async () => {
      await keys.getByRole("button", { name: "Revoke key" }).click();
      await row.getByText(/^Revoked/).waitFor();
    });

    // THEN the interactions were observed; the figures are printed (speed is the bench's business).
    // Event Timing reports nothing under its 16 ms threshold: an unobserved one counts as 16 ms.
    expect(latencies.filter((latency) => latency.ms !== null).length).toBeGreaterThan(
      latencies.length / 2,
    );
    const sorted = latencies.map((latency) => latency.ms ?? 16).sort((a, b) => a - b);
    const p75 = sorted[Math.ceil(sorted.length * 0.75) - 1]!;
    // … and the home's scripts, their size decoded, gzipped (as bundlers report it) and as sent
    const sizes = await Promise.all(
      scripts.map(async ({ url, sent }) => {
        const body = Buffer.from(
          await (await fetch(url, { headers: { "accept-encoding": "identity" } })).arrayBuffer(),
        );
        return { url, decoded: body.length, gzip: gzipSync(body).length, sent };
      }),
    );
    expect(sizes.length).toBeGreaterThan(0);
    const total = (field: "decoded" | "gzip" | "sent") =>
      sizes.reduce((sum, size) => sum + size[field], 0) / 1024;
    console.info(
      [
        "[web vitals] INP of the admin's main interactions, Chromium, loopback (Event Timing, input to next paint):",
        ...latencies.map(({ interaction, ms }) => `  ${interaction}: ${ms} ms`),
        `  INP (the slowest of ${sorted.length}) ${sorted.at(-1)} ms, p75 ${p75} ms`,
        `[web vitals] JavaScript of the admin home: ${sizes.length} files, ${total("decoded").toFixed(0)} KB decoded, ` +
          `${total("gzip").toFixed(0)} KB gzip, ${total("sent").toFixed(0)} KB as sent (brotli)`,
      ].join("\n"),
    );
    const { resultsDir } = testServer();
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(
      path.join(resultsDir, "web-vitals-interactions.json"),
      `${JSON.stringify({ latencies, inp: sorted.at(-1), p75, scripts: sizes }, null, 2)}\n`,
    );
    session().expectNoProblems();
  });
});
