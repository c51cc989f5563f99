// Bundles the benchmark harnesses (bench/harness/*.ts) with the app's modules into bench/tmp/.
import path from "node:path";
import { fileURLToPath } from "node:url";

import { bundleAppEntry, root } from "../../scripts/lib/bundle-app.mjs";

const outdir = path.join(root, "bench", "tmp");
const realReferralModel = path.join(root, "app", "models", "referral-clicks.server.ts");
const stubbedRecording = path.join(root, "bench", "harness", "stubbed-recording.ts");

/** Resolves `~/models/referral-clicks.server` to the stub everywhere except inside the stub itself. */
const stubRecordingPlugin = {
  name: "stub-click-recording",
  setup(builder) {
    builder.onResolve({ filter: /^~\/models\/referral-clicks\.server$/ }, ({ importer }) => ({
      path: importer === stubbedRecording ? realReferralModel : stubbedRecording,
    }));
  },
};

function bundle(entry, outfile, plugins = []) {
  return bundleAppEntry({
    entry: path.join("bench", "harness", entry),
    outfile: path.join(outdir, outfile),
    plugins,
  });
}

/** Builds every harness; returns their paths. */
export async function buildHarnesses() {
  const plain = [
    "fast-path-server",
    "fixtures",
    "stats-timing",
    "analytics-timing",
    "click-queue",
    "signup-load",
    "webhook-load",
  ];
  await Promise.all([
    ...plain.map((name) => bundle(`${name}.ts`, `${name}.mjs`)),
    bundle("fast-path-server.ts", "fast-path-stubbed.mjs", [stubRecordingPlugin]),
  ]);
  return {
    fastPath: path.join(outdir, "fast-path-server.mjs"),
    fastPathStubbed: path.join(outdir, "fast-path-stubbed.mjs"),
    fixtures: path.join(outdir, "fixtures.mjs"),
    statsTiming: path.join(outdir, "stats-timing.mjs"),
    analyticsTiming: path.join(outdir, "analytics-timing.mjs"),
    clickQueue: path.join(outdir, "click-queue.mjs"),
    signupLoad: path.join(outdir, "signup-load.mjs"),
    webhookLoad: path.join(outdir, "webhook-load.mjs"),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  console.info(await buildHarnesses());
}
