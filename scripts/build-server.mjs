#!/usr/bin/env node
// Bundles the HTTP server (app/server/main.ts) into build/server.js. Packages stay external;
// the Remix build (build/index.js) is imported at run time, so the routes and the server share
// one copy of the app's modules.
import { bundleAppEntry } from "./lib/bundle-app.mjs";

await bundleAppEntry({ entry: "app/server/main.ts", outfile: "build/server.js", sourcemap: true });
