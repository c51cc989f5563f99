// What `npm run demo` prints must work: every link it lists opens in a browser, the curl line
// answers, and the bot filtering example's figures are the server's own counters.
import { expect, it } from "vitest";

import {
  adminFrame,
  describeInBrowser,
  openAdminPreview,
  testServer,
  useChromium,
  useSessionPerTest,
} from "~/test/browser/browser";

describeInBrowser("the guide npm run demo prints", () => {
  const session = useSessionPerTest(useChromium());

  it("lists every page a newcomer needs", () => {
    expect(Object.keys(testServer().guide)).toEqual([
      "Shopify admin (local preview)",
      "A new store's admin (empty)",
      "The store's referral link",
      "Storefront block's link",
      "Demo sign-up",
      "Integration API (demo key)",
      "API reference (OpenAPI 3.1)",
    ]);
  });

  it("opens both admins in the local preview", async () => {
    const { guide } = testServer();
    const { page } = session();
    for (const [label, text] of [
      ["Shopify admin (local preview)", "Daily clicks and sign-ups"],
      ["A new store's admin (empty)", "Share your link to get your first referral"],
    ] as const) {
      const url = new URL(guide[label]!);
      await openAdminPreview(page, { shop: url.searchParams.get("shop") ?? undefined });
      await adminFrame(page).getByText(text).waitFor();
    }
    session().expectNoProblems();
  });

  it("opens the referral link and the short link on the landing page, and the demo sign-up", async () => {
    const { guide } = testServer();
    const { page } = session();
    for (const label of ["The store's referral link", "Storefront block's link"]) {
      const response = await page.goto(guide[label]!);
      expect(response?.status()).toBe(200);
      expect(new URL(page.url()).pathname).toBe("/");
      expect(await page.locator("main").textContent()).toContain("Chen Wellness partners with");
    }
    expect((await page.goto(guide["Demo sign-up"]!))?.status()).toBe(200);
    expect(await page.getByRole("note").textContent()).toContain("Demo identity");
    session().expectNoProblems();
  });

  it("prints a curl line that answers with the demo store's summary", async () => {
    const line = testServer().guide["Integration API (demo key)"]!;
    const [, header, url] = /^curl -H "([^"]+)" (\S+)$/.exec(line)!;
    const [name, value] = header!.split(": ");

    const response = await fetch(url!, { headers: { [name!]: value! } });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ total_clicks: expect.any(Number) });
  });

  it("points at the OpenAPI document", async () => {
    const response = await fetch(testServer().guide["API reference (OpenAPI 3.1)"]!);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ openapi: expect.stringMatching(/^3\.1\./) });
  });

  it("shows bot filtering with real requests, in the server's own counters", async () => {
    // GIVEN what the guide printed about the visitors it sent through the short link
    const printed = testServer().demoOutput;
    expect(printed).toMatch(/Just now 6 visitors followed \/r\/store-/);
    expect(printed).toMatch(/ {2}1 counted as a person, 1 new click: Instagram's in-app browser/);
    expect(printed).toMatch(
      / {2}5 not counted \(same redirect, no cookie\): Facebook's link preview/,
    );
    // THEN /metrics agrees (it only grows: later tests' visits are people)
    const metrics = await (await fetch(`${testServer().baseUrl}/metrics`)).text();
    const notCounted = /referral_link_visits_total\{outcome="not_a_person"\} (\d+)/.exec(metrics);
    expect(Number(notCounted?.[1])).toBeGreaterThanOrEqual(5);
  });
});
