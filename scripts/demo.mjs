#!/usr/bin/env node
// `npm run demo`: builds the app (when build/ is missing or older than a source) and starts it on
// its embedded default (PGlite under .data/), with no accounts, keys or servers. Development
// mode: the demo identity and the local admin preview are available (they never are with
// NODE_ENV=production).
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { ensureBuild } from "./ensure-build.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

if (process.env.NODE_ENV === "production") {
  console.error("npm run demo is for local previews only; it refuses NODE_ENV=production.");
  process.exit(1);
}

const log = (message) => console.info(`[demo] ${message}`);
if (!(await ensureBuild({ log }))) log("build/ is up to date with the sources");

const server = spawn(process.execPath, [path.join(root, "build/server.js")], {
  cwd: root,
  stdio: "inherit",
  // Loopback webhook endpoints for the demo's receiver (refused by the app in production).
  env: {
    ...process.env,
    NODE_ENV: "development",
    STORE_REFERRALS_DEMO: "1",
    WEBHOOK_ALLOW_LOOPBACK: "true",
  },
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => server.kill(signal));
}
server.on("exit", (code) => process.exit(code ?? 0));
