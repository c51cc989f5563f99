// Prisma CLI configuration: no native engines here (see docs/decisions/0001-prisma-wasm-engine.md).
// The wasm engine reaches PostgreSQL through the same driver adapter as the app.
// Note: a config file turns off Prisma's own .env loading; scripts pass DATABASE_URL explicitly.
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  experimental: { adapter: true },
  engine: "js",
  adapter: async () =>
    new PrismaPg({ connectionString: process.env.DATABASE_URL!, allowExitOnIdle: true }),
});
