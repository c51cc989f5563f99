// Applies prisma/migrations with the Prisma CLI (wasm engine, no downloads; see scripts/prisma.mjs).
// Asynchronous on purpose: a synchronous exec would deadlock with an in-process PGlite server.
import path from "node:path";

import { runCommand } from "../../scripts/lib/run-command.mjs";

export async function applyMigrations({
  databaseUrl,
  root = process.cwd(),
}: {
  databaseUrl: string;
  root?: string;
}): Promise<void> {
  await runCommand(
    process.execPath,
    [path.join(root, "scripts", "prisma.mjs"), "migrate", "deploy"],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      label: "prisma migrate deploy",
    },
  );
}
