// Runs a command to its end with its output captured: resolves when it exits with 0, rejects
// with an error quoting its output otherwise (the migrations and the build before tests).
import { spawn } from "node:child_process";

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, label?: string }} [options]
 * @returns {Promise<void>}
 */
export function runCaptured(
  command,
  args,
  { cwd, env, label = [command, ...args].join(" ") } = {},
) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${label} failed (exit code ${code}):\n${output}`)),
    );
  });
}
