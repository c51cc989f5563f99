#!/usr/bin/env node
// `npm run privacy -- export-user <clerk user id> | erase-user <clerk user id>`: bundles the
// privacy command (app/cli/privacy.server.ts, TypeScript) with esbuild like the server build,
// then runs it. Needs DATABASE_URL.
import path from "node:path";
import { pathToFileURL } from "node:url";

import { bundleAppEntry, root } from "./lib/bundle-app.mjs";

const outfile = path.join(root, "build/cli/privacy.js");
await bundleAppEntry({ entry: "app/cli/privacy.server.ts", outfile });

const { main } = await import(pathToFileURL(outfile).href);
process.exitCode = await main(process.argv.slice(2));
