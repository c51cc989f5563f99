// Runs a command to its end: resolves with its output (captured unless stdio is "inherit") when
// it exits with 0, rejects with an error quoting that output otherwise. The Prisma CLI, the
// migrations and the build before the tests all run through it.
import { spawn } from "node:child_process";

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, stdio?: "pipe" | "inherit", label?: string }} [options]
 * @returns {Promise<string>}
 */
export function runCommand(
  command,
  args,
  { cwd, env, stdio = "pipe", label = [command, ...args].join(" ") } = {},
) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", stdio, stdio] });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${label} failed (exit code ${code}):\n${output}`)),
    );
  });
}
