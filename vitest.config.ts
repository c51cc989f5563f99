import path from "node:path";

import { defineConfig } from "vitest/config";

// With TEST_DATABASE_URL (CI: the local PostgreSQL server) test files run in parallel against one
// database created for the run. Without it they run one after another on an embedded PGlite,
// which serves a single connection.
const usesPostgresServer = Boolean(process.env.TEST_DATABASE_URL);

export default defineConfig({
  resolve: { alias: { "~": path.resolve(__dirname, "app") } },
  test: {
    fileParallelism: usesPostgresServer,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["app/**/*.test.{ts,tsx}", "extensions/**/*.test.ts", "scripts/**/*.test.ts"],
          exclude: ["**/node_modules/**", "app/test/browser/**"],
          globalSetup: ["app/test/global-setup.ts"],
          setupFiles: ["app/test/setup.ts"],
          pool: "forks",
          testTimeout: 30_000,
          hookTimeout: 120_000,
          env: { NODE_ENV: "test" },
        },
      },
      {
        // Real Chromium against the real built server (`npm run test:browser` runs only these).
        extends: true,
        test: {
          name: "browser",
          include: ["app/test/browser/**/*.test.ts"],
          globalSetup: ["app/test/browser/global-setup.ts"],
          pool: "forks",
          // One server and one browser at a time: the files share the demo store.
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 60_000,
          hookTimeout: 60_000,
          env: { NODE_ENV: "test" },
        },
      },
    ],
  },
});
