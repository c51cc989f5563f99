// `npm run demo` in the server process (app/server/main.ts reaches it through the gate): the
// demo data prepared before the server listens, with its progress, and the guide printed once it
// listens (what to open, and bot filtering shown with real requests).
import path from "node:path";

import { prepareDemo, type DemoInfo } from "~/demo/prepare.server";
import { describeDemoTraffic, sendDemoLinkTraffic } from "~/demo/traffic";
import { startDemoWebhookReceiver } from "~/demo/webhook-receiver.server";
import { getEnv } from "~/env.server";
import { storefrontReferralLink } from "~/lib/referral-links/links";

export interface DemoRun {
  /** What was prepared. */
  info: DemoInfo;
  /** The guide to print once the server listens at `url` (it sends the bot filtering example). */
  guide(url: string): Promise<string>;
}

export async function prepareDemoRun({
  log,
}: {
  /** The server's log line (its prefix kept). */
  log(message: string): void;
}): Promise<DemoRun> {
  const started = Date.now();
  const info = await prepareDemo({
    // The API key is kept beside the embedded database's folder.
    dataDir: path.dirname(path.resolve(getEnv().EMBEDDED_DATABASE_DIR)),
    onProgress: ({ written, total }) => {
      const percent = Math.round((written / total) * 100);
      const line = `[demo] seeding 90 days of referral history: ${written}/${total} rows (${percent}%)`;
      // A terminal gets one line that updates in place; a log file gets one line per step.
      if (process.stdout.isTTY) process.stdout.write(`\r${line}${written === total ? "\n" : ""}`);
      else console.info(line);
    },
  });
  log(
    info.seeded
      ? `demo store seeded with ${info.referralRows} referral events in ${Date.now() - started} ms`
      : `reusing the demo data (${info.referralRows} referral events)`,
  );
  // Deliveries of the demo store's events to a receiver on loopback (when loopback is allowed:
  // scripts/demo.mjs sets WEBHOOK_ALLOW_LOOPBACK).
  const receiver = getEnv().WEBHOOK_ALLOW_LOOPBACK
    ? await startDemoWebhookReceiver({ storeId: info.storeId, log })
    : null;
  return { info, guide: (url) => demoGuide(url, info, receiver?.url ?? null) };
}

async function demoGuide(url: string, demo: DemoInfo, receiverUrl: string | null): Promise<string> {
  const landing = demo.referralLink.replace(/^https?:\/\/[^/]+/, url);
  const shortLink = `/r/${demo.referralCode}`;
  const traffic = await sendDemoLinkTraffic({
    baseUrl: url.replace("localhost", "127.0.0.1"),
    referralCode: demo.referralCode,
  }).then(
    (report) => describeDemoTraffic(report, shortLink),
    (error: unknown) => [`(the bot filtering example could not run: ${String(error)})`],
  );
  const lines = [
    "",
    "Store Referrals demo: open these in your browser (nothing leaves this machine)",
    `  Shopify admin (local preview)  ${url}/demo/admin`,
    `  A new store's admin (empty)    ${url}/demo/admin?shop=${demo.newShopDomain}`,
    `  The store's referral link      ${landing}`,
    `  Storefront block's link        ${storefrontReferralLink(url, demo.referralCode)}`,
    `  Demo sign-up                   ${url}/sign-up`,
    `  Integration API (demo key)     curl -H "Authorization: Bearer ${demo.apiKey}" ${url}/api/v1/analytics/summary`,
    `  API reference (OpenAPI 3.1)    ${url}/api/v1/openapi.json`,
    ...(receiverUrl
      ? [
          `  Webhook receiver (loopback)    ${receiverUrl}: sign up, and its deliveries are logged`,
          `                                 here and in the admin's Webhooks page`,
        ]
      : []),
    "",
    ...traffic,
    "",
    "The admin preview is a local stand-in for Shopify's admin (development only).",
    "Stop with Ctrl-C; npm run demo again reuses the data.",
    "",
  ];
  return lines.join("\n");
}
