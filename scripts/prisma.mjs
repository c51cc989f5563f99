#!/usr/bin/env node
// Runs the Prisma CLI without native engines (see docs/decisions/0001-prisma-wasm-engine.md):
// the schema engine binary and the query engine library are disabled so that nothing is
// downloaded, and the wasm engine's idle timer is unref'd so the CLI exits promptly.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { runCommand } from "./lib/run-command.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

export function prismaEnvironment(extra = {}) {
  const preload = path.join(root, "scripts", "unref-long-timers.cjs");
  return {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false",
    PRISMA_QUERY_ENGINE_LIBRARY: "/bin/false",
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    NODE_OPTIONS: [process.env.NODE_OPTIONS, `--require ${preload}`].filter(Boolean).join(" "),
    ...extra,
  };
}

/** Runs `prisma <args>` asynchronously (a sync exec deadlocks with an in-process PGlite). */
export function runPrisma(args, { env = {}, stdio = "inherit" } = {}) {
  const cli = require.resolve("prisma/build/index.js");
  return runCommand(process.execPath, [cli, ...args], {
    cwd: root,
    env: prismaEnvironment(env),
    stdio,
    label: `prisma ${args.join(" ")}`,
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  // `generate` needs no database, but Prisma 6.19 still reads DATABASE_URL from the datasource.
  const env = process.env.DATABASE_URL
    ? {}
    : { DATABASE_URL: "postgresql://localhost:5432/unused" };
  runPrisma(args, { env }).catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
