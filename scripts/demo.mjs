#!/usr/bin/env node
// `npm run demo`: builds the app and starts it on its embedded default (PGlite under .data/),
// with no accounts, keys or servers. Development mode: the demo identity and the local admin
// preview are available (they never are with NODE_ENV=production).
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function run(command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, ...env },
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`)),
    );
  });
}

if (process.env.NODE_ENV === "production") {
  console.error("npm run demo is for local previews only; it refuses NODE_ENV=production.");
  process.exit(1);
}

console.info("[demo] building the app…");
await run(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "build"], {
  NODE_ENV: "production",
});
await run(process.execPath, [path.join(root, "scripts/build-server.mjs")]);

const server = spawn(process.execPath, [path.join(root, "build/server.js")], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "development", STORE_REFERRALS_DEMO: "1" },
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => server.kill(signal));
}
server.on("exit", (code) => process.exit(code ?? 0));
