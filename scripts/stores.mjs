#!/usr/bin/env node
// `npm run stores -- list | suspend <shop> [--reason "..."] | reactivate <shop>`: bundles the
// operator command (app/cli/stores.server.ts, TypeScript) with esbuild like the server build,
// then runs it. Needs DATABASE_URL.
import path from "node:path";
import { pathToFileURL } from "node:url";

import { bundleAppEntry, root } from "./lib/bundle-app.mjs";

const outfile = path.join(root, "build/cli/stores.js");
await bundleAppEntry({ entry: "app/cli/stores.server.ts", outfile });

const { main } = await import(pathToFileURL(outfile).href);
process.exitCode = await main(process.argv.slice(2));
