// The app as production runs it (build/server.js, NODE_ENV=production) in a child process on an
// ephemeral port, pointed at the suite's PostgreSQL database. Each instance names its database
// connections (application_name) so that a scenario can find and terminate them.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

import {
  TEST_CLERK_JWT_KEY,
  TEST_CLERK_PUBLISHABLE_KEY,
  TEST_CLERK_SECRET_KEY,
} from "~/test/fakes/clerk";

const root = fileURLToPath(new URL("../..", import.meta.url));
const READY = /listening on http:\/\/localhost:(\d+)/;

export const RELIABILITY_SHOPIFY_SECRET = "reliability-shopify-api-secret";

export interface AppServer {
  name: string;
  pid: number;
  url: string;
  /** Everything the process printed (the last 256 KB). */
  output(): string;
  running(): boolean;
  /** SIGTERM; resolves with the milliseconds it took to exit, and its exit code. */
  stop(): Promise<{ milliseconds: number; code: number | null }>;
  /** SIGKILL (kill -9): no shutdown code runs. */
  kill(): Promise<void>;
}

export interface AppServerOptions {
  name: string;
  env?: Record<string, string | undefined>;
}

/** The environment every instance shares with the test process (secrets must match). */
export function sharedEnvironment(): Record<string, string> {
  return {
    SHOPIFY_API_KEY: "reliability-shopify-api-key",
    SHOPIFY_API_SECRET: RELIABILITY_SHOPIFY_SECRET,
    SHOPIFY_APP_URL: process.env.SHOPIFY_APP_URL!,
    APP_SECRET: process.env.APP_SECRET!,
    ACTIVATION_API_SECRET: process.env.ACTIVATION_API_SECRET!,
    CLERK_PUBLISHABLE_KEY: TEST_CLERK_PUBLISHABLE_KEY,
    CLERK_SECRET_KEY: TEST_CLERK_SECRET_KEY,
    CLERK_JWT_KEY: TEST_CLERK_JWT_KEY,
  };
}

export function startAppServer({ name, env = {} }: AppServerOptions): Promise<AppServer> {
  const databaseUrl = new URL(process.env.DATABASE_URL!);
  databaseUrl.searchParams.set("application_name", name);
  const child = spawn(process.execPath, [path.join(root, "build", "server.js")], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: "0",
      DATABASE_URL: databaseUrl.toString(),
      ...sharedEnvironment(),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${name} did not start within 60 s`)), 60_000);
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-262_144);
      const port = READY.exec(output)?.[1];
      if (port) {
        clearTimeout(timer);
        child.stdout!.off("data", onData);
        child.stderr!.off("data", onData);
        const keep = (more: Buffer) => (output = (output + more.toString()).slice(-262_144));
        child.stdout!.on("data", keep);
        child.stderr!.on("data", keep);
        resolve(handle(name, child, Number(port), () => output, exited));
      }
    };
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${error.message}\n--- ${name} output ---\n${output}`));
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => fail(new Error(`${name} exited with ${code} before listening`)));
  });
}

function handle(
  name: string,
  child: ChildProcess,
  port: number,
  output: () => string,
  exited: Promise<number | null>,
): AppServer {
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    name,
    pid: child.pid!,
    url: `http://127.0.0.1:${port}`,
    output,
    running,
    async stop() {
      const started = performance.now();
      if (!running()) return { milliseconds: 0, code: child.exitCode };
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return { milliseconds: performance.now() - started, code };
    },
    async kill() {
      if (!running()) return;
      child.kill("SIGKILL");
      await exited;
    },
  };
}
