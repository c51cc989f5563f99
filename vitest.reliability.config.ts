import path from "node:path";

import { defineConfig } from "vitest/config";

// `npm run test:reliability`: fault and load scenarios against real app processes (build/server.js)
// on the local PostgreSQL server. Never part of `npm test`; scenarios run one after another (they
// load the machine and some of them stall the database), each printing one line of figures.
export default defineConfig({
  resolve: { alias: { "~": path.resolve(__dirname, "app") } },
  test: {
    include: ["reliability/**/*.test.ts"],
    globalSetup: ["reliability/global-setup.ts"],
    setupFiles: ["app/test/setup.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
    reporters: ["./reliability/reporter.ts"],
    env: { NODE_ENV: "test" },
  },
});
