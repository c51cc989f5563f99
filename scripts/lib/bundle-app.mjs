// Bundles a TypeScript entry of app/ into one ESM file for Node (packages stay external, `~` is
// app/): the HTTP server, the operator command and the benchmark harnesses are built this way.
import path from "node:path";
import { fileURLToPath } from "node:url";

import { build } from "esbuild";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * @param {{ entry: string, outfile: string, plugins?: import("esbuild").Plugin[], sourcemap?: boolean }} options
 *   entry and outfile are relative to the repository root (or absolute).
 */
export function bundleAppEntry({ entry, outfile, plugins = [], sourcemap = false }) {
  return build({
    entryPoints: [path.resolve(root, entry)],
    outfile: path.resolve(root, outfile),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    alias: { "~": path.join(root, "app") },
    plugins,
    sourcemap,
    logLevel: "warning",
  });
}
