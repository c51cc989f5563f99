#!/usr/bin/env node
// Writes app/styles/polaris.generated.css (git-ignored): Polaris' stylesheet without the rules of
// the components the app never renders. Polaris ships one 442 KB stylesheet for all of them; it
// blocks the admin's first paint. Which components the app can render is what esbuild keeps of
// Polaris when it bundles the app's routes for the browser (tree shaking, as Remix's build does):
// every class name Polaris can put on an element is a string literal of that code. A rule naming
// a Polaris class absent from it is dropped; every other rule (tokens, themes, keyframes, element
// rules) is kept. Run by `npm run build` before Remix's build and on install.
// docs/decisions/0016-admin-accessibility-and-weight.md.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
export const GENERATED_STYLES = path.join(root, "app", "styles", "polaris.generated.css");
const POLARIS_CLASS = /\.Polaris-[A-Za-z0-9_-]+/g;

/** The app's route modules (browser entries of Remix's build). */
function routeEntries() {
  const directories = ["app/routes", "app/demo/routes"];
  return [
    path.join(root, "app", "root.tsx"),
    ...directories.flatMap((directory) =>
      readdirSync(path.join(root, directory))
        .filter((file) => /\.tsx?$/.test(file))
        .map((file) => path.join(root, directory, file)),
    ),
  ];
}

/** The text of the Polaris code the routes can run in the browser (everything else left out). */
async function polarisCodeOfRoutes() {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: routeEntries(),
    bundle: true,
    write: false,
    outdir: path.join(root, ".cache", "polaris-styles"),
    platform: "browser",
    format: "esm",
    treeShaking: true,
    logLevel: "error",
    alias: { "~": path.join(root, "app") },
    loader: { ".css": "empty", ".svg": "empty", ".png": "empty" },
    plugins: [
      {
        name: "only-polaris",
        setup(context) {
          // Stylesheets hold no class the code names (and the generated one may not exist yet,
          // on a fresh clone).
          context.onResolve({ filter: /\.css$/ }, (args) => ({ path: args.path, external: true }));
          // Server-only modules never reach the browser; other packages hold no Polaris class.
          context.onResolve({ filter: /\.server(\.[jt]sx?)?$/ }, (args) => ({
            path: args.path,
            external: true,
          }));
          context.onResolve({ filter: /^[^./~]/ }, (args) =>
            args.path.startsWith("@shopify/polaris") ||
            args.path.startsWith("@shopify/shopify-app-remix/react")
              ? undefined
              : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  return result.outputFiles.map((file) => file.text).join("\n");
}

/** Polaris' stylesheet, less the rules whose Polaris classes `code` never names. */
export async function purgedPolarisStyles() {
  const postcss = (await import("postcss")).default;
  const code = await polarisCodeOfRoutes();
  const source = readFileSync(require.resolve("@shopify/polaris/build/esm/styles.css"), "utf8");
  const stylesheet = postcss.parse(source);
  stylesheet.walkRules((rule) => {
    if (rule.parent?.type === "atrule" && /keyframes$/.test(rule.parent.name)) return;
    const kept = rule.selectors.filter((selector) =>
      (selector.match(POLARIS_CLASS) ?? []).every((name) => code.includes(name.slice(1))),
    );
    if (kept.length === 0) rule.remove();
    else if (kept.length < rule.selectors.length) rule.selectors = kept;
  });
  stylesheet.walkAtRules((atRule) => {
    if (atRule.nodes && atRule.nodes.length === 0) atRule.remove();
  });
  return { css: stylesheet.toString(), sourceBytes: source.length };
}

/**
 * Writes the generated stylesheet (only when it changed, so the build is not made stale). An
 * install without the dev tools (esbuild, postcss) gets Polaris' whole stylesheet: bigger, the same.
 */
export async function writePolarisStyles() {
  let generated;
  try {
    generated = await purgedPolarisStyles();
  } catch (error) {
    if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
    const whole = readFileSync(require.resolve("@shopify/polaris/build/esm/styles.css"), "utf8");
    generated = { css: whole, sourceBytes: whole.length };
  }
  const { css, sourceBytes } = generated;
  let current = null;
  try {
    current = readFileSync(GENERATED_STYLES, "utf8");
  } catch {
    // not generated yet
  }
  if (current !== css) writeFileSync(GENERATED_STYLES, css);
  return { bytes: css.length, sourceBytes };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { bytes, sourceBytes } = await writePolarisStyles();
  console.info(
    `[polaris styles] ${path.relative(root, GENERATED_STYLES)}: ${Math.round(bytes / 1024)} KB of Polaris' ${Math.round(sourceBytes / 1024)} KB`,
  );
}
