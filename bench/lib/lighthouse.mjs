// Lighthouse 12.2.3 (the last major that runs on Node 20) on Debian's Chromium: one cold load of
// a page under Lighthouse's mobile profile (Moto G Power, slow 4G, 4x CPU, simulated) or its
// desktop one, performance category only.
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";

// STACK.md's flags (as the browser tests use them).
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * @param {string} url
 * @param {{ formFactor: "mobile" | "desktop" }} options
 * @returns {Promise<{ formFactor: string, performance: number, lcpMs: number, fcpMs: number,
 *   tbtMs: number, cls: number, speedIndexMs: number, transferBytes: number }>}
 *   (the same fields as engineer 15a's module of this name, so either can stay)
 */
export async function runLighthouse(url, { formFactor }) {
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    chromeFlags: CHROMIUM_FLAGS,
  });
  try {
    const result = await lighthouse(
      url,
      { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance"] },
      formFactor === "desktop" ? desktopConfig : undefined,
    );
    const { categories, audits, runtimeError } = result.lhr;
    if (runtimeError) throw new Error(`Lighthouse: ${runtimeError.code} ${runtimeError.message}`);
    return {
      formFactor,
      performance: Math.round(categories.performance.score * 100),
      lcpMs: audits["largest-contentful-paint"].numericValue,
      fcpMs: audits["first-contentful-paint"].numericValue,
      tbtMs: audits["total-blocking-time"].numericValue,
      cls: audits["cumulative-layout-shift"].numericValue,
      speedIndexMs: audits["speed-index"].numericValue,
      transferBytes: audits["total-byte-weight"].numericValue,
    };
  } finally {
    await chrome.kill();
  }
}
