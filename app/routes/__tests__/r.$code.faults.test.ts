// The shopper is redirected whatever happens behind the link: PostgreSQL down or hanging,
// PostHog unreachable. A click that could not be recorded gets no click cookie and is counted
// as dropped in /metrics; the process stays up.
import { createServer, type Server, type Socket } from "node:net";

import { afterEach, describe, expect, it } from "vitest";

import { resetEnvForTests } from "~/env.server";
import { shutdownAnalytics } from "~/lib/analytics/posthog.server";
import { loader as metricsLoader } from "~/routes/metrics";
import { loader } from "~/routes/r.$code";
import { createTestStore } from "~/test/builders";
import { takeLoggedErrors } from "~/test/logs";
import { setCookiesOf, shopperRequest } from "~/test/shopper";
import { closedPort, useDatabase } from "~/test/faults";

const workingDatabaseUrl = process.env.DATABASE_URL;
const usualTimeBudget = process.env.CLICK_RECORD_TIMEOUT_MS;

function followLink(code: string) {
  return loader({
    request: shopperRequest(`/r/${code}?utm_source=ig`),
    params: { code },
    context: { clientAddress: "127.0.0.1" },
  });
}

async function droppedClicks(reason: string) {
  const text = await metricsLoader().text();
  const line = text
    .split("\n")
    .find((entry) => entry.startsWith(`referral_clicks_dropped_total{reason="${reason}"}`));
  return line ? Number(line.split(" ")[1]) : 0;
}

/** A server that accepts connections and never answers (a hung PostgreSQL). */
async function blackHole() {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

afterEach(async () => {
  process.env.CLICK_RECORD_TIMEOUT_MS = usualTimeBudget;
  delete process.env.CLICK_QUEUE_LIMIT;
  delete process.env.POSTHOG_API_KEY;
  delete process.env.POSTHOG_HOST;
  await shutdownAnalytics({ timeoutMs: 200 });
  await useDatabase(workingDatabaseUrl);
});

describe("GET /r/:code when things behind it fail", () => {
  it("redirects with the referral cookie but no click cookie when PostgreSQL is down, and counts the drop", async () => {
    // GIVEN a store, then the database becomes unreachable
    const store = await createTestStore();
    await useDatabase(`postgresql://postgres@127.0.0.1:${await closedPort()}/postgres`);
    const before = await droppedClicks("database_error");
    // WHEN a shopper follows the link
    const response = await followLink(store.referralCode);
    // THEN they are redirected and keep the code, without an acknowledgement of the click
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/?utm_source=ig");
    expect(setCookiesOf(response).map(({ name }) => name)).toEqual(["ref"]);
    expect(await droppedClicks("database_error")).toBe(before + 1);
  });

  it("stops waiting for a hung PostgreSQL at the time budget and counts the click as dropped", async () => {
    const store = await createTestStore();
    const hung = await blackHole();
    process.env.CLICK_RECORD_TIMEOUT_MS = "50";
    await useDatabase(`postgresql://postgres@127.0.0.1:${hung.port}/postgres`);
    const before = await droppedClicks("timeout");
    const response = await followLink(store.referralCode);
    expect(response.status).toBe(302);
    expect(setCookiesOf(response).map(({ name }) => name)).toEqual(["ref"]);
    expect(await droppedClicks("timeout")).toBe(before + 1);
    await hung.close();
  });

  it("refuses clicks at once when the queue is full, and counts them", async () => {
    // GIVEN a hung database and a queue of one: the first click fills it
    const store = await createTestStore();
    const hung = await blackHole();
    process.env.CLICK_QUEUE_LIMIT = "1";
    process.env.CLICK_RECORD_TIMEOUT_MS = "50";
    await useDatabase(`postgresql://postgres@127.0.0.1:${hung.port}/postgres`);
    const before = await droppedClicks("queue_full");
    // WHEN two shoppers click at the same time
    const responses = await Promise.all([
      followLink(store.referralCode),
      followLink(store.referralCode),
    ]);
    // THEN both are redirected; the second was refused by the full queue
    expect(responses.map((response) => response.status)).toEqual([302, 302]);
    expect(await droppedClicks("queue_full")).toBe(before + 1);
    await hung.close();
  });

  it("redirects and records the click when PostHog is unreachable", async () => {
    const store = await createTestStore();
    process.env.POSTHOG_API_KEY = "phc_test_key";
    process.env.POSTHOG_HOST = `http://127.0.0.1:${await closedPort()}`;
    resetEnvForTests();
    const response = await followLink(store.referralCode);
    expect(response.status).toBe(302);
    expect(setCookiesOf(response).map(({ name }) => name)).toEqual(["ref", "ref_click"]);
    // AND shutting down gives up on the undeliverable event within its bound, saying so
    await shutdownAnalytics({ timeoutMs: 200 });
    expect(takeLoggedErrors().map((entry) => String(entry.message))).toEqual([
      expect.stringContaining("Timeout while shutting down PostHog"),
    ]);
  });
});

describe("GET /metrics", () => {
  it("serves the counters in the Prometheus text format", async () => {
    const response = metricsLoader();
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await response.text();
    expect(text).toContain("# TYPE referral_clicks_dropped_total counter");
    expect(text).toContain("# TYPE referral_link_visits_total counter");
    expect(text).toContain("# TYPE referral_click_queue_pending gauge");
  });
});
