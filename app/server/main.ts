// The process entry of `npm start` / `npm run demo`: validates the environment, starts the
// embedded PostgreSQL when DATABASE_URL is not set, serves the Remix app (plus the referral-link
// hot path, answered before Remix) and shuts down in order on SIGTERM/SIGINT.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { createRequestHandler } from "@remix-run/express";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import express from "express";

import { EnvironmentError, parseEnvironment } from "~/env.server";
import type { DemoInfo, prepareDemo } from "~/demo/prepare.server";
import { describeDemoTraffic, sendDemoLinkTraffic } from "~/demo/traffic";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "~/server/embedded-database";
import { createLoadContext } from "~/server/load-context";
import { applyMigrations } from "~/server/migrations";

interface AppEntryModule {
  handleNodeRequest(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
  shutdown(): Promise<void>;
  prepareDemo: typeof prepareDemo;
}

export interface RunningServer {
  server: Server;
  url: string;
  /** Set when started as the demo: what was prepared, for the list printed at start-up. */
  demo: DemoInfo | null;
  close(): Promise<void>;
}

const root = process.cwd();
const buildPath = path.join(root, "build", "index.js");

async function importBuild(): Promise<ServerBuild> {
  return (await import(`${pathToFileURL(buildPath).href}?t=${Date.now()}`)) as ServerBuild;
}

function log(message: string) {
  console.info(`[store-referrals] ${message}`);
}

/** Prepares the database (embedded PGlite by default) and returns its stopper, if any. */
async function prepareDatabase(): Promise<EmbeddedDatabase | null> {
  if (process.env.DATABASE_URL) return null;
  const env = parseEnvironment();
  const started = Date.now();
  const embedded = await startEmbeddedDatabase({
    dataDir: env.EMBEDDED_DATABASE_DIR,
  });
  process.env.DATABASE_URL = embedded.url;
  process.env.DATABASE_POOL_MAX = "1";
  await applyMigrations({ databaseUrl: embedded.url, root });
  log(
    `embedded PostgreSQL (PGlite) ready in ${Date.now() - started} ms, data in ${env.EMBEDDED_DATABASE_DIR}`,
  );
  return embedded;
}

export async function startServer({
  port,
  demo = false,
}: { port?: number; demo?: boolean } = {}): Promise<RunningServer> {
  const env = parseEnvironment();
  const embedded = await prepareDatabase();
  let build = await importBuild();
  const entry = () => build.entry.module as unknown as AppEntryModule;
  const demoInfo = demo ? await prepareDemoData(entry(), env.EMBEDDED_DATABASE_DIR) : null;

  const app = express();
  app.disable("x-powered-by");
  app.use(
    "/build",
    express.static(path.join(root, "public", "build"), {
      immutable: true,
      maxAge: "1y",
    }),
  );
  app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));
  // One Remix handler per build: a new one per request rebuilt the route tables every time
  // (0.2-0.5 ms of CPU per request; docs/decisions/0010-performance-measured.md).
  const remixHandlerFor = (current: ServerBuild) =>
    createRequestHandler({ build: current, mode: current.mode, getLoadContext: createLoadContext });
  let remixHandler = remixHandlerFor(build);
  app.all("*", (request, response, next) => remixHandler(request, response, next));

  const server = createServer((request, response) => {
    entry()
      .handleNodeRequest(request, response)
      .then((handled) => {
        if (!handled) app(request, response);
      })
      .catch((error: unknown) => {
        console.error(error);
        if (!response.headersSent) app(request, response);
      });
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve) => server.listen(port ?? env.PORT, env.HOST, resolve));
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : env.PORT;
  const url = `http://localhost:${actualPort}`;

  if (build.mode === "development" && process.env.REMIX_DEV_ORIGIN) {
    await broadcastDevReady(build);
    const { watch } = await import("node:fs");
    watch(path.join(root, "build", "version.txt"), async () => {
      build = await importBuild();
      remixHandler = remixHandlerFor(build);
      await broadcastDevReady(build);
    });
  }

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      });
      await entry().shutdown();
      await embedded?.stop();
    })());

  return { server, url, demo: demoInfo, close };
}

async function prepareDemoData(entry: AppEntryModule, databaseDir: string) {
  const started = Date.now();
  const info = await entry.prepareDemo({
    dataDir: path.dirname(path.resolve(databaseDir)),
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
  return info;
}

async function printDemoGuide(url: string, demo: DemoInfo) {
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
    `  Short link (QR / storefront)   ${url}/r/${demo.referralCode}?utm_source=instagram`,
    `  Demo sign-up                   ${url}/sign-up`,
    `  Integration API (demo key)     curl -H "Authorization: Bearer ${demo.apiKey}" ${url}/api/v1/analytics/summary`,
    `  API reference (OpenAPI 3.1)    ${url}/api/v1/openapi.json`,
    "",
    ...traffic,
    "",
    "The admin preview is a local stand-in for Shopify's admin (development only).",
    "Stop with Ctrl-C; npm run demo again reuses the data.",
    "",
  ];
  console.info(lines.join("\n"));
}

async function main() {
  try {
    parseEnvironment();
  } catch (error) {
    if (error instanceof EnvironmentError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const running = await startServer({ demo: process.env.STORE_REFERRALS_DEMO === "1" });
  log(`listening on ${running.url}`);
  if (running.demo) await printDemoGuide(running.url, running.demo);
  let signals = 0;
  const stop = (signal: string) => {
    signals++;
    if (signals > 1) process.exit(1);
    log(`${signal} received, shutting down`);
    const timer = setTimeout(() => {
      console.error("[store-referrals] shutdown took longer than 10 s, exiting");
      process.exit(1);
    }, 10_000);
    timer.unref();
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  void main();
}
