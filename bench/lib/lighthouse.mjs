// Lighthouse (12.2.3, the last release for Node 20) on Debian's Chromium, launched with
// STACK.md's flags: the performance category only, under Lighthouse's own mobile or desktop
// profile (simulated throttling, so a loopback page is scored as on a slow phone network).
import { launch } from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const ms = (lhr, audit) => lhr.audits[audit]?.numericValue ?? null;

/**
 * Scores one page. Returns the performance score (0-100) and the metrics behind it, in ms
 * (CLS unitless), plus the bytes the page transferred.
 * @param {string} url
 * @param {{ formFactor: "mobile" | "desktop" }} options
 */
export async function runLighthouse(url, { formFactor }) {
  const chrome = await launch({ chromePath: CHROMIUM_PATH, chromeFlags: CHROMIUM_FLAGS });
  try {
    const result = await lighthouse(
      url,
      { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance"] },
      formFactor === "desktop" ? desktopConfig : undefined,
    );
    if (!result) throw new Error(`Lighthouse returned no result for ${url}`);
    const { lhr } = result;
    if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.message}`);
    return {
      formFactor,
      performance: Math.round((lhr.categories.performance.score ?? 0) * 100),
      lcpMs: ms(lhr, "largest-contentful-paint"),
      fcpMs: ms(lhr, "first-contentful-paint"),
      tbtMs: ms(lhr, "total-blocking-time"),
      cls: ms(lhr, "cumulative-layout-shift"),
      speedIndexMs: ms(lhr, "speed-index"),
      transferBytes: ms(lhr, "total-byte-weight"),
    };
  } finally {
    await chrome.kill();
  }
}
