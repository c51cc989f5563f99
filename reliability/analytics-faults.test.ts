// PostHog unreachable (connection refused) or black-holed (accepts, never answers) while every
// click fires an event: shoppers must not notice, nothing may reject unhandled, and SIGTERM must
// still stop the server within 5 s (the flush is bounded).
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

import { describe, expect, it } from "vitest";

import { createTestStore } from "~/test/builders";
import { startAppServer } from "./support/app-server";
import { describeStatuses, formatCount, milliseconds, percentile } from "./support/figures";
import { runShoppers } from "./support/shoppers";

const SHUTDOWN_LIMIT_MS = 5_000;
const UNHANDLED = /unhandled ?rejection|UnhandledPromiseRejection/i;

/** A port where nothing listens: connections are refused. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A server that accepts connections and reads requests but never answers. */
async function blackHole(): Promise<{ port: number; connections: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("data", () => undefined);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function clicksWithPostHogAt(host: string, name: string) {
  const app = await startAppServer({
    name,
    env: { POSTHOG_API_KEY: "phc_reliability", POSTHOG_HOST: host },
  });
  const store = await createTestStore();
  // Long enough for posthog-node to send several batches (50 events, or every 5 s).
  const run = await runShoppers({
    url: app.url,
    path: `/r/${store.referralCode}?utm_source=reliability`,
    connections: 20,
    seconds: 7,
  });
  const shutdown = await app.stop();
  return { run, shutdown, output: app.output() };
}

function figuresOf({ run, shutdown, output }: Awaited<ReturnType<typeof clicksWithPostHogAt>>) {
  const failed = run.requests - (run.statuses[302] ?? 0) + run.errors;
  const unhandled = output.split("\n").filter((line) => UNHANDLED.test(line)).length;
  return {
    failed,
    unhandled,
    text:
      `${formatCount(run.requests)} clicks, each an event (${describeStatuses(run.statuses)}), ${failed} failed, ` +
      `p99 ${milliseconds(percentile(run.latencies, 99))}; ${unhandled} unhandled rejections; ` +
      `SIGTERM to exit ${milliseconds(shutdown.milliseconds)} (exit code ${shutdown.code})`,
  };
}

describe("reliability", () => {
  it("PostHog unreachable (connection refused)", async ({ task }) => {
    const port = await refusedPort();
    const result = await clicksWithPostHogAt(
      `http://127.0.0.1:${port}`,
      "reliability-posthog-down",
    );
    const { failed, unhandled, text } = figuresOf(result);
    task.meta.figures = text;
    expect(result.run.requests).toBeGreaterThan(0);
    expect(failed).toBe(0);
    expect(unhandled).toBe(0);
    expect(result.shutdown.code).toBe(0);
    expect(result.shutdown.milliseconds).toBeLessThan(SHUTDOWN_LIMIT_MS);
  });

  it("PostHog black-holed (accepts, never answers)", async ({ task }) => {
    const hole = await blackHole();
    try {
      const result = await clicksWithPostHogAt(
        `http://127.0.0.1:${hole.port}`,
        "reliability-posthog-hole",
      );
      const { failed, unhandled, text } = figuresOf(result);
      task.meta.figures = `${text}; ${hole.connections} connections held open by the black hole`;
      expect(result.run.requests).toBeGreaterThan(0);
      // The fault happened: posthog-node did try to deliver.
      expect(hole.connections).toBeGreaterThan(0);
      expect(failed).toBe(0);
      expect(unhandled).toBe(0);
      expect(result.shutdown.code).toBe(0);
      expect(result.shutdown.milliseconds).toBeLessThan(SHUTDOWN_LIMIT_MS);
    } finally {
      await hole.close();
    }
  });
});
