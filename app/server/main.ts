// The process entry of `npm start` / `npm run demo`: validates the environment, starts the
// embedded PostgreSQL when DATABASE_URL is not set, serves the Remix app (plus the referral-link
// hot path, answered before Remix) and shuts down in order on SIGTERM/SIGINT.
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { createRequestHandler } from "@remix-run/express";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";

import { EnvironmentError, parseEnvironment } from "~/env.server";
import type { DemoRun, LocalPreview } from "~/demo/index.server";
import { errorBody } from "~/lib/infra/http-errors.server";
import { fillSecurityHeadersOnWrite } from "~/lib/infra/security-headers.server";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "~/server/embedded-database";
import { createLoadContext } from "~/server/load-context";
import { applyMigrations } from "~/server/migrations";

interface AppEntryModule {
  handleNodeRequest(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
  shutdown(): Promise<void>;
  startBackgroundJobs(): void;
  localPreview(): LocalPreview | null;
}

export interface RunningServer {
  server: Server;
  url: string;
  /** Set when started as the demo: what was prepared, and the guide printed at start-up. */
  demo: DemoRun | null;
  close(): Promise<void>;
}

const root = process.cwd();
const buildPath = path.join(root, "build", "index.js");

async function importBuild(): Promise<ServerBuild> {
  return (await import(`${pathToFileURL(buildPath).href}?t=${Date.now()}`)) as ServerBuild;
}

// Methods the Fetch API's Request refuses to construct (Remix would answer them 500), and that
// no route takes: answered 405 before the fast path and Remix (Node's parser itself answers
// TRACK with a 400).
const UNSUPPORTED_METHODS = new Set(["TRACE", "TRACK", "CONNECT"]);
const ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
const METHOD_ERROR = JSON.stringify(
  errorBody("method_not_allowed", "TRACE, TRACK and CONNECT are not allowed here."),
);

function refuseMethod(request: IncomingMessage, response: ServerResponse) {
  fillSecurityHeadersOnWrite(request, response);
  response.writeHead(405, {
    allow: ALLOWED_METHODS,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(METHOD_ERROR),
  });
  response.end(METHOD_ERROR);
}

/**
 * Brotli (else gzip) for what Remix and the static files send: documents, `_data`, JS, CSS, the
 * CSV export (compressed as it streams). Left as written: bodies under 1 KB and event streams,
 * whose events must reach the client as they happen. The /r/:code fast path never gets here.
 */
function compressResponses() {
  return compression({
    filter: (request, response) =>
      !String(response.getHeader("content-type") ?? "").startsWith("text/event-stream") &&
      compression.filter(request, response),
  });
}

const PRECOMPRESSED = [
  { encoding: "br", suffix: ".br" },
  { encoding: "gzip", suffix: ".gz" },
] as const;

/**
 * For GET/HEAD of an asset with a compressed copy beside it, serves the copy the client takes
 * (brotli, else gzip) with the asset's own type; express.static then sends it, and compression
 * leaves an encoded body alone. Anything else goes on unchanged.
 */
function sendPrecompressed(assetsDir: string): express.RequestHandler {
  return (request, response, next) => {
    if (request.method !== "GET" && request.method !== "HEAD") return next();
    // Our preference (brotli first), among what the client takes.
    const copy = PRECOMPRESSED.find(({ encoding }) => request.acceptsEncodings(encoding));
    // request.path is decoded and rooted at /build; normalize keeps it inside assetsDir.
    const asset = path.join(assetsDir, path.posix.normalize(request.path));
    if (!copy || !asset.startsWith(`${assetsDir}${path.sep}`)) return next();
    if (!existsSync(`${asset}${copy.suffix}`)) return next();
    response.setHeader("Content-Encoding", copy.encoding);
    response.setHeader("Vary", "Accept-Encoding");
    response.type(path.extname(asset));
    request.url = `${request.url.split("?")[0]}${copy.suffix}`;
    next();
  };
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
  const demoRun = demo ? await prepareDemo(entry()) : null;

  const app = express();
  app.disable("x-powered-by");
  const assetsDir = path.join(root, "public", "build");
  app.use(compressResponses());
  // Fingerprinted by the build (a new name for new content): cached for good, and sent as the
  // build compressed them when it did (scripts/precompress-assets.mjs).
  app.use("/build", sendPrecompressed(assetsDir));
  app.use("/build", express.static(assetsDir, { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));
  // One Remix handler per build: a new one per request rebuilt the route tables every time
  // (0.2-0.5 ms of CPU per request; docs/decisions/0010-performance-measured.md).
  const remixHandlerFor = (current: ServerBuild) =>
    createRequestHandler({ build: current, mode: current.mode, getLoadContext: createLoadContext });
  let remixHandler = remixHandlerFor(build);
  app.all("*", (request, response, next) => remixHandler(request, response, next));

  const server = createServer((request, response) => {
    if (UNSUPPORTED_METHODS.has(request.method ?? "")) return refuseMethod(request, response);
    const serve = () => {
      // Everything but the fast path: security headers and a 405's Allow filled in on write.
      fillSecurityHeadersOnWrite(request, response);
      app(request, response);
    };
    entry()
      .handleNodeRequest(request, response)
      .then((handled) => {
        if (!handled) serve();
      })
      .catch((error: unknown) => {
        console.error(error);
        if (!response.headersSent) serve();
      });
  });
  server.keepAliveTimeout = 65_000;
  // Node hands CONNECT to this event rather than to the request handler (and closes the socket
  // when nobody listens): answered the same way.
  server.on("connect", (request: IncomingMessage, socket: Duplex) => {
    socket.end(
      `HTTP/1.1 405 Method Not Allowed\r\nAllow: ${ALLOWED_METHODS}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(METHOD_ERROR)}\r\n` +
        `Connection: close\r\n\r\n${METHOD_ERROR}`,
    );
  });

  await new Promise<void>((resolve) => server.listen(port ?? env.PORT, env.HOST, resolve));
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : env.PORT;
  const url = `http://localhost:${actualPort}`;
  // The retention purge runs in every instance (docs/privacy.md).
  entry().startBackgroundJobs();

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

  return { server, url, demo: demoRun, close };
}

/** `npm run demo`: the demo's data and guide, from the app build through the local preview's gate. */
async function prepareDemo(entry: AppEntryModule): Promise<DemoRun> {
  const preview = entry.localPreview();
  if (!preview) throw new Error("The demo is not available in production.");
  return preview.prepareDemo({ log });
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
  if (running.demo) console.info(await running.demo.guide(running.url));
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
