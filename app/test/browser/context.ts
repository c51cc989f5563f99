// What the browser tests' global setup hands to the test files (vitest provide/inject).

export interface BrowserTestServer {
  chromiumPath: string;
  /** The app as `npm run demo` serves it: http://localhost:<port>. */
  baseUrl: string;
  /** The lines `npm run demo` printed, by label (e.g. "Demo sign-up" → URL). */
  guide: Record<string, string>;
  /** The whole guide as printed (with the bot filtering example). */
  demoOutput: string;
  demo: {
    /** Chen Wellness: ~90 days of referral history. */
    shopDomain: string;
    referralCode: string;
    apiKey: string;
    /** Green Leaf Nutrition: installed, no referrals. */
    newShopDomain: string;
  };
  /** Where screenshots and other artifacts go (test-results/browser). */
  resultsDir: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    /** null when Chromium is missing (outside CI): the browser tests are skipped. */
    browserTestServer: BrowserTestServer | null;
  }
}
