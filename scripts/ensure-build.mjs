// Builds the app (npm run build) when build/ is missing or older than its sources: the demo, the
// browser tests, the benchmark and the reliability suite run the real server (build/server.js),
// never a stale one, and do not rebuild one that is up to date.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { runCommand } from "./lib/run-command.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SOURCES = [
  "app",
  "remix.config.js",
  "package.json",
  "package-lock.json",
  "scripts/build-server.mjs",
  "scripts/polaris-styles.mjs",
  "scripts/precompress-assets.mjs",
  "scripts/lib",
  "public",
];
const OUTPUTS = ["build/index.js", "build/server.js"];

function newestSource(target) {
  let stat;
  try {
    stat = statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(target)) {
    // Tests and the generated client bundle are not inputs of the server build.
    if (entry === "__tests__" || entry === "test" || entry === "build") continue;
    newest = Math.max(newest, newestSource(path.join(target, entry)));
  }
  return newest;
}

export function buildIsStale() {
  try {
    const built = Math.min(...OUTPUTS.map((file) => statSync(path.join(root, file)).mtimeMs));
    return Math.max(...SOURCES.map((entry) => newestSource(path.join(root, entry)))) > built;
  } catch {
    return true;
  }
}

/**
 * Runs `npm run build` if needed; resolves with whether it built.
 * @param {{ log?: (message: string) => void }} [options]
 */
export async function ensureBuild({ log = () => undefined } = {}) {
  if (!buildIsStale()) return false;
  log("build/ is missing or older than the sources: npm run build");
  // A production build whatever the caller's NODE_ENV (vitest sets "test", and Remix would then
  // emit development JSX that a production server cannot run).
  await runCommand("npm", ["run", "build"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production" },
  });
  return true;
}
