// The browser tests' server: the real built app (`npm run build`, rebuilt when a source is newer),
// started as `npm run demo` starts it (node build/server.js, development, STORE_REFERRALS_DEMO=1)
// on a free port, with its own database: an embedded PGlite in a temporary folder, or a fresh
// database on TEST_DATABASE_URL. Without Chromium the tests are skipped with a notice, except in
// CI (CI=1 or CI=true), where that is a failure.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import type { TestProject } from "vitest/node";

import { ensureBuild } from "../../../scripts/ensure-build.mjs";

import { DEMO_SHOP_DOMAIN } from "~/demo/models/demo-store.server";
import type { BrowserTestServer } from "~/test/browser/context";
import { createTestDatabase, type TestDatabase } from "~/test/database";

const root = process.cwd();
const resultsDir = path.join(root, "test-results", "browser");
const SERVER_START_TIMEOUT_MS = 240_000;

function chromiumPath(): string | null {
  const candidate = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  return existsSync(candidate) ? candidate : null;
}

function inCI() {
  return process.env.CI === "1" || process.env.CI === "true";
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** The printed guide's lines: two spaces, a label, two or more spaces, the value. */
function parseGuide(output: string): Record<string, string> {
  const guide: Record<string, string> = {};
  const start = output.indexOf("Store Referrals demo:");
  for (const line of output.slice(start).split("\n").slice(1)) {
    const match = /^ {2}(\S.*?) {2,}(\S.*)$/.exec(line);
    if (match) guide[match[1]!] = match[2]!;
  }
  return guide;
}

interface StartedServer {
  process: ChildProcess;
  /** Everything the server printed until it was ready (the demo's guide at the end). */
  output: string;
}

async function startDemoServer({
  port,
  dataDir,
  databaseUrl,
}: {
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
}): Promise<StartedServer> {
  mkdirSync(resultsDir, { recursive: true });
  const log = createWriteStream(path.join(resultsDir, "server.log"));
  // Only what a newcomer's shell would have: no keys of any outside service.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    NODE_ENV: "development",
    STORE_REFERRALS_DEMO: "1",
    PORT: String(port),
    HOST: "127.0.0.1",
    EMBEDDED_DATABASE_DIR: path.join(dataDir, "pglite"),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  const child = spawn(process.execPath, [path.join(root, "build/server.js")], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The app did not start within ${SERVER_START_TIMEOUT_MS} ms`)),
      SERVER_START_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      log.write(chunk);
      // The guide ends with how to stop (after the bot filtering example's requests).
      if (/Stop with Ctrl-C.*\n/.test(output)) {
        clearTimeout(timer);
        resolve(output.replace(/\r/g, "\n"));
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => log.write(chunk));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`The app exited (${code}) before it was ready:\n${output}`));
    });
  });
  try {
    return { process: child, output: await ready };
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
}

function stopServer(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

export default async function setup(project: TestProject) {
  const chromium = chromiumPath();
  if (!chromium) {
    const notice =
      "Chromium was not found at /usr/bin/chromium (or CHROMIUM_PATH); install it with " +
      "`apt-get install -y chromium`.";
    if (inCI()) throw new Error(`[browser tests] ${notice} CI requires the browser tests.`);
    console.warn(`\n[browser tests] SKIPPED: ${notice}\n`);
    project.provide("browserTestServer", null);
    return;
  }

  await ensureBuild({ log: (message) => console.info(`[browser tests] ${message}`) });
  const dataDir = mkdtempSync(path.join(tmpdir(), "store-referrals-browser-"));
  let database: TestDatabase | null = null;
  let server: StartedServer | null = null;
  const teardown = async () => {
    if (server) await stopServer(server.process);
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    if (process.env.TEST_DATABASE_URL) {
      database = await createTestDatabase({
        serverUrl: process.env.TEST_DATABASE_URL,
        prefix: "store_referrals_browser",
      });
    }
    server = await startDemoServer({
      port: await freePort(),
      dataDir,
      databaseUrl: database?.url,
    });
  } catch (error) {
    await teardown();
    throw error;
  }

  const guide = parseGuide(server.output);
  const adminUrl = new URL(guide["Shopify admin (local preview)"]!);
  const newStoreUrl = new URL(guide["A new store's admin (empty)"]!);
  const context: BrowserTestServer = {
    chromiumPath: chromium,
    baseUrl: adminUrl.origin,
    guide,
    demoOutput: server.output.slice(server.output.indexOf("Store Referrals demo:")),
    demo: {
      shopDomain: DEMO_SHOP_DOMAIN,
      referralCode: new URL(guide["The store's referral link"]!).searchParams.get("ref")!,
      apiKey: /Bearer (\S+?)"/.exec(guide["Integration API (demo key)"]!)![1]!,
      newShopDomain: newStoreUrl.searchParams.get("shop")!,
    },
    resultsDir,
  };
  project.provide("browserTestServer", context);
  return teardown;
}
