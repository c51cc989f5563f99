#!/usr/bin/env node
// Writes brotli (quality 11) and gzip (level 9) copies beside every fingerprinted asset of
// public/build/ (`x.js.br`, `x.js.gz`): the HTTP server sends them as they are (app/server/
// main.ts), so the admin's scripts and stylesheets cost no compression per request and come ~20%
// smaller than on-the-fly brotli. Run by `npm run build`; files already done are skipped.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const ASSETS_DIR = path.join(root, "public", "build");
const COMPRESSIBLE = /\.(js|css|svg|json)$/;
const MIN_BYTES = 1024;

function* assets(directory) {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const file = path.join(directory, entry.name);
    if (entry.isDirectory()) yield* assets(file);
    else if (COMPRESSIBLE.test(entry.name)) yield file;
  }
}

function isFresh(copy, source) {
  try {
    return statSync(copy).mtimeMs >= statSync(source).mtimeMs;
  } catch {
    return false;
  }
}

export function precompressAssets() {
  let written = 0;
  for (const file of assets(ASSETS_DIR)) {
    const body = readFileSync(file);
    if (body.length < MIN_BYTES) continue;
    if (!isFresh(`${file}.br`, file)) {
      writeFileSync(
        `${file}.br`,
        brotliCompressSync(body, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 11,
            [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          },
        }),
      );
      written++;
    }
    if (!isFresh(`${file}.gz`, file)) writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
  }
  return written;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const written = precompressAssets();
  console.info(`[precompress] ${written} assets of public/build compressed (brotli 11, gzip 9)`);
}
