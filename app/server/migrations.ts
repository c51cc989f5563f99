// Applies prisma/migrations with the Prisma CLI (wasm engine, no downloads; see scripts/prisma.mjs).
// Asynchronous on purpose: a synchronous exec would deadlock with an in-process PGlite server.
import { spawn } from "node:child_process";
import path from "node:path";

export async function applyMigrations({
  databaseUrl,
  root = process.cwd(),
}: {
  databaseUrl: string;
  root?: string;
}): Promise<void> {
  const script = path.join(root, "scripts", "prisma.mjs");
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [script, "migrate", "deploy"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`prisma migrate deploy failed (${code}):\n${output}`)),
    );
  });
}
