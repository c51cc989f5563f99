// Helpers of the browser tests: Chromium driven by playwright-core, against the server of
// app/test/browser/global-setup.ts. Every browser context is offline (a request leaving this
// machine is aborted and reported) and any console error or uncaught page error is reported too:
// `expectNoProblems()` fails the test on either, like an unexpected console.error in unit tests.
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";

import {
  chromium,
  type Browser,
  type BrowserContext,
  type FrameLocator,
  type Page,
} from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject } from "vitest";

import type { BrowserTestServer } from "~/test/browser/context";

const provided = inject("browserTestServer");

/** describe() that is skipped when the global setup found no Chromium (it printed why). */
export const describeInBrowser = describe.skipIf(!provided);

/** The running server (only inside describeInBrowser). */
export function testServer(): BrowserTestServer {
  if (!provided) throw new Error("The browser tests' server is not running (no Chromium).");
  return provided;
}

// STACK.md's flags for Debian's Chromium. Playwright adds --headless and a fresh
// --user-data-dir (a new temporary profile per launch) itself.
const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: testServer().chromiumPath,
    headless: true,
    args: CHROMIUM_FLAGS,
  });
}

/** Inside a describeInBrowser: one Chromium for the file's tests (closed after them). */
export function useChromium(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error("Chromium is launched before the tests only.");
    return browser;
  };
}

/** A fresh session (browser context and page) for each test, closed after it. */
export function useSessionPerTest(browser: () => Browser): () => BrowserSession {
  let session: BrowserSession | undefined;
  beforeEach(async () => {
    session = await openSession(browser());
  });
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });
  return () => {
    if (!session) throw new Error("A session is opened for each test only.");
    return session;
  };
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and requests that tried to leave this machine. */
  problems: string[];
  expectNoProblems(): void;
  close(): Promise<void>;
}

function isLocal(url: URL) {
  return ["localhost", "127.0.0.1"].includes(url.hostname) || !url.protocol.startsWith("http");
}

/**
 * A fresh browser context (own cookies) with one page. By default it speaks as a desktop Chrome:
 * headless Chromium's own user agent says "HeadlessChrome", which Shopify's library answers
 * with 410 as a bot.
 */
export async function openSession(
  browser: Browser,
  { userAgent }: { userAgent?: string } = {},
): Promise<BrowserSession> {
  const { baseUrl } = testServer();
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    userAgent:
      userAgent ??
      `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${browser.version()} Safari/537.36`,
    acceptDownloads: true,
  });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
  const problems: string[] = [];
  await context.route(
    (url) => !isLocal(url),
    (route) => {
      problems.push(`request left the machine: ${route.request().url()}`);
      return route.abort();
    },
  );
  const watch = (page: Page) => {
    page.on("console", (message) => {
      // A failed resource is reported below, with its URL.
      if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
        problems.push(`console error: ${message.text()}`);
      }
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.stack ?? error.message}`));
    page.on("response", (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    page.on("requestfailed", (request) => {
      // ERR_ABORTED is the browser cancelling a load it no longer needs (a navigation away
      // while the favicon still loads, a superseded fetch), not a failure of the server.
      if (request.failure()?.errorText === "net::ERR_ABORTED") return;
      if (isLocal(new URL(request.url()))) {
        problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
      }
    });
  };
  context.on("page", watch);
  const page = await context.newPage();
  return {
    context,
    page,
    problems,
    expectNoProblems: () => expect(problems).toEqual([]),
    close: () => context.close(),
  };
}

// --- The local admin preview (/demo/admin) ---

export function adminFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe[name="app-iframe"]');
}

/** Opens /demo/admin (the demo store unless `shop`), and waits for the app to be interactive. */
export async function openAdminPreview(
  page: Page,
  { shop, path: adminPath }: { shop?: string; path?: string } = {},
) {
  const query = new URLSearchParams();
  if (shop) query.set("shop", shop);
  if (adminPath) query.set("path", adminPath);
  const response = await page.goto(`${testServer().baseUrl}/demo/admin?${query}`);
  expect(response?.status()).toBe(200);
  await waitForAdminApp(page);
  return adminFrame(page);
}

/** The app in the frame has hydrated and follows the admin's navigation. */
export async function waitForAdminApp(page: Page) {
  await page.locator('iframe[name="app-iframe"][data-app-ready="true"]').waitFor();
}

/** Clicks an entry of the preview's navigation and waits for that page's title. */
export async function openFromNavigation(page: Page, link: string, title: string) {
  await page
    .getByRole("navigation", { name: "App navigation" })
    .getByRole("link", { name: link })
    .click();
  await adminFrame(page).getByRole("heading", { level: 1, name: title }).waitFor();
}

/** The toasts the preview shows (App Bridge's toast.show from the app). */
export function toasts(page: Page) {
  return page.locator(".demo-admin__toast");
}

/** Clicks what starts a download and returns the saved file. */
export async function download(page: Page, click: () => Promise<void>) {
  const [started] = await Promise.all([page.waitForEvent("download"), click()]);
  const file = await started.path();
  return { filename: started.suggestedFilename(), body: readFileSync(file) };
}

// --- Artifacts ---

/**
 * Saves a screenshot under test-results/browser/<name>.png (a CI artifact). The README's ones
 * (`inReadme`) are also copied to docs/screenshots/ when UPDATE_SCREENSHOTS=1.
 */
export async function saveScreenshot(
  page: Page,
  name: string,
  { inReadme = false }: { inReadme?: boolean } = {},
) {
  const { resultsDir } = testServer();
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.png`);
  await page.screenshot({ path: file });
  if (inReadme && process.env.UPDATE_SCREENSHOTS === "1") {
    const docs = path.join(process.cwd(), "docs", "screenshots");
    mkdirSync(docs, { recursive: true });
    copyFileSync(file, path.join(docs, `${name}.png`));
  }
  return file;
}
