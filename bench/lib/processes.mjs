// Child processes of the benchmark: servers started on an ephemeral port, their memory and CPU.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

const READY_TIMEOUT_MS = 60_000;

/**
 * Starts `node <args>` and resolves once its output matches `ready` (a RegExp whose first group
 * is the port). Output is kept (last 64 KB) for error messages.
 */
export function startServer({ name, args, env, ready = /listening (\d+)/, cwd }) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let settled = false;
    const timer = setTimeout(
      () => fail(new Error(`${name} did not start in time`)),
      READY_TIMEOUT_MS,
    );
    const onData = (chunk) => {
      output = (output + chunk).slice(-65_536);
      const match = ready.exec(output);
      if (match && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve(serverHandle({ name, child, port: Number(match[1]), output: () => output }));
      }
    };
    const fail = (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${error.message}\n--- ${name} output ---\n${output}`));
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", fail);
    child.on("exit", (code, signal) => fail(new Error(`${name} exited (${code ?? signal})`)));
  });
}

function serverHandle({ name, child, port, output }) {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return {
    name,
    pid: child.pid,
    port,
    url: `http://127.0.0.1:${port}`,
    output,
    /** Resident set size in bytes (Linux /proc). */
    rss: () => residentSetSize(child.pid),
    /** User + system CPU seconds used so far (Linux /proc). */
    cpuSeconds: () => cpuSeconds(child.pid),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function residentSetSize(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kilobytes = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return kilobytes * 1024;
}

const CLOCK_TICKS_PER_SECOND = 100;

export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** Runs `node <args>` to completion and returns the JSON it printed last on stdout. */
export function runJson({ name, args, env, cwd }) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(-65_536)));
    child.on("error", reject);
    child.on("exit", (code) => {
      const lastLine = stdout.trim().split("\n").pop() ?? "";
      if (code === 0) {
        try {
          resolve(JSON.parse(lastLine));
          return;
        } catch {
          // fall through to the error below
        }
      }
      reject(new Error(`${name} failed (exit ${code})\n${stdout.slice(-4000)}\n${stderr}`));
    });
  });
}
