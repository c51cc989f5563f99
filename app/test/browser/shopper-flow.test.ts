// A shopper's referral end to end in real Chromium: the short link from Instagram, the cookie,
// the demo sign-up, the post-signup page; then the store's admin counts one more click and one
// more sign-up, and its referral events table and CSV show the new row, anonymized.
import type { FrameLocator } from "playwright-core";
import { expect, it } from "vitest";

import {
  adminFrame,
  describeInBrowser,
  download,
  openAdminPreview,
  openFromNavigation,
  openSession,
  saveScreenshot,
  testServer,
  useChromium,
} from "~/test/browser/browser";

const ANONYMIZED_USER = /^user-[0-9a-f]{10}$/;
const DAY_SECONDS = 24 * 60 * 60;

/** The admin home's stat cards, as numbers. */
async function readStats(frame: FrameLocator) {
  const stat = async (label: string) => {
    const value = await frame
      .getByRole("heading", { name: label, exact: true })
      .locator("xpath=following-sibling::p[1]")
      .textContent();
    return Number(value?.replace(/[^0-9.]/g, ""));
  };
  // The home's cards count the last 30 days of the store: today's click is in them.
  await frame.getByRole("heading", { name: "Clicks", exact: true }).waitFor();
  return { clicks: await stat("Clicks"), signups: await stat("Sign-ups") };
}

describeInBrowser("a shopper's referral, from the link to the store's admin, in Chromium", () => {
  const browser = useChromium();

  it("is counted once and shows in the admin, anonymized", async () => {
    const { baseUrl, demo } = testServer();
    // GIVEN the demo store's figures in its admin
    const merchant = await openSession(browser());
    const before = await readStats(await openAdminPreview(merchant.page));

    // WHEN a shopper on a phone opens the store's short link from Instagram (a visitor of its
    // own: one click per visitor and hour is counted)
    const shopper = await openSession(browser(), {
      userAgent: `Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${browser().version().split(".")[0]}.0.${Date.now() % 10_000}.${process.pid % 1000} Mobile Safari/537.36`,
    });
    const { page } = shopper;
    // (the link the builder's Instagram preset makes)
    const landing = await page.goto(
      `${baseUrl}/r/${demo.referralCode}?utm_source=instagram&utm_medium=social`,
    );

    // THEN they land on the landing page (UTM kept), with the 30-day referral cookies
    expect(landing?.status()).toBe(200);
    expect(new URL(page.url())).toMatchObject({
      pathname: "/",
      search: "?utm_source=instagram&utm_medium=social",
    });
    await page.getByRole("heading", { level: 1, name: "Syntropy Health" }).waitFor();
    expect(await page.locator("main").textContent()).toContain("Chen Wellness");
    const cookies = await shopper.context.cookies();
    const ref = cookies.find((cookie) => cookie.name === "ref");
    expect(ref).toMatchObject({
      value: demo.referralCode,
      httpOnly: true,
      sameSite: "Lax",
      path: "/",
    });
    expect(ref!.expires - Date.now() / 1000).toBeGreaterThan(29 * DAY_SECONDS);
    expect(cookies.some((cookie) => cookie.name === "ref_click")).toBe(true);
    await saveScreenshot(page, "landing-page", { inReadme: true });

    // WHEN they sign up with the demo identity
    await page.getByRole("link", { name: "Create your account" }).click();
    await page.getByRole("heading", { name: "Create your Syntropy Health account" }).waitFor();
    // (the page names the store, never the raw code)
    await page.getByText("You are joining through Chen Wellness.").waitFor();
    expect(await page.locator("main").textContent()).not.toContain(demo.referralCode);
    expect(await page.getByRole("note").textContent()).toContain(
      "Demo identity for local previews",
    );
    await saveScreenshot(page, "demo-sign-up", { inReadme: true });
    const email = `shopper-${Date.now()}@example.com`;
    await page.getByLabel("E-mail").fill(email);
    await page.getByRole("button", { name: "Create demo account" }).click();

    // THEN they land on the post-signup page, and the referral cookies are gone
    await page.waitForURL(`${baseUrl}/welcome`);
    await page.getByRole("heading", { name: "Welcome to Syntropy Health" }).waitFor();
    // (it says what happened, and links onward)
    await page
      .getByText("Thank you for joining through Chen Wellness.", { exact: false })
      .waitFor();
    await page.getByRole("link", { name: "Continue to Syntropy Health" }).waitFor();
    await saveScreenshot(page, "welcome", { inReadme: true });
    const after = await shopper.context.cookies();
    expect(after.filter((cookie) => cookie.name.startsWith("ref"))).toEqual([]);
    const userId = after.find((cookie) => cookie.name === "demo_session")?.value.split(".")[0];
    expect(userId).toMatch(/^demo_user_/);
    // AND signed in, /sign-up goes on to the post-signup page instead of the form
    await page.goto(`${baseUrl}/sign-up`);
    expect(new URL(page.url()).pathname).toBe("/welcome");

    // AND the store's admin home shows one more click and one more sign-up
    const home = await openAdminPreview(merchant.page);
    expect(await readStats(home)).toEqual({
      clicks: before.clicks + 1,
      signups: before.signups + 1,
    });

    // AND the referral events start with that sign-up from Instagram, anonymized
    await openFromNavigation(merchant.page, "Referral events", "Referral events");
    const firstRow = adminFrame(merchant.page).locator("table tbody tr").first();
    const cells = await firstRow.locator("td").allTextContents();
    const [, status, channel, referredUser, signedUp, source] = cells;
    expect(signedUp).not.toBe("—");
    expect(status).toMatch(/Signed up$/);
    expect([channel, source]).toEqual(["Link", "instagram"]);
    expect(referredUser).toMatch(ANONYMIZED_USER);
    expect(cells.join(" ")).not.toContain(userId);
    expect(cells.join(" ")).not.toContain(email);

    // AND the CSV export's first row is the same event, anonymized the same way
    const csv = await download(merchant.page, () =>
      adminFrame(merchant.page).getByRole("button", { name: "Export CSV" }).click(),
    );
    const text = csv.body.toString("utf8");
    const [header, firstLine] = text.split("\n");
    const row = Object.fromEntries(
      firstLine!.split(",").map((value, index) => [header!.split(",")[index], value]),
    );
    expect(row).toMatchObject({
      status: "signed_up",
      channel: "link",
      referred_user: referredUser,
      utm_source: "instagram",
    });
    expect(text).not.toContain(userId!);
    expect(text).not.toContain(email);

    shopper.expectNoProblems();
    merchant.expectNoProblems();
    await shopper.close();
    await merchant.close();
  });

  it("tells a signed-out visitor of /welcome what to do, and names no store for an unknown code", async () => {
    const { baseUrl } = testServer();
    // GIVEN a visitor who is not signed in, with a referral cookie of a code no store has
    const visitor = await openSession(browser());
    const { page } = visitor;
    await visitor.context.addCookies([
      { name: "ref", value: "store-nobody-0000", url: baseUrl, httpOnly: true, sameSite: "Lax" },
    ]);
    // WHEN they open /welcome
    await page.goto(`${baseUrl}/welcome`);
    // THEN it says they are not signed in, thanks no store, and links to sign-up and sign-in
    await page.getByText("You are not signed in.", { exact: false }).waitFor();
    expect(await page.locator("main").textContent()).not.toContain("Thank you for joining");
    await page.getByRole("link", { name: "Sign in" }).waitFor();
    // WHEN they go on to sign up
    await page.getByRole("link", { name: "Create your account" }).click();
    await page.getByRole("heading", { name: "Create your Syntropy Health account" }).waitFor();
    // THEN the page shows neither a store nor the unknown code
    const text = await page.locator("main").textContent();
    expect(text).not.toContain("joining through");
    expect(text).not.toContain("store-nobody-0000");
    visitor.expectNoProblems();
    await visitor.close();
  });
});
