// Outbound webhooks under faults, against real app processes (build/server.js): a receiver
// down for a while then back, an instance killed (-9) mid-delivery, two instances sharing the
// outbox. The events are written by the test process through the model (as a sign-up does); the
// instances' workers deliver them to a receiver on loopback. Loopback endpoints need
// WEBHOOK_ALLOW_LOOPBACK, which production refuses: these instances run with NODE_ENV=test
// (Clerk and Shopify configured as in the other scenarios, so nothing demo-only is used).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterEach, describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { recordReferralSignup } from "~/models/referral-signups.server";
import { createWebhookEndpoint } from "~/models/webhook-endpoint.server";
import { createTestStore, uniqueUserId } from "~/test/builders";
import { startAppServer, type AppServer } from "./support/app-server";
import { sleep } from "./support/database";
import { milliseconds } from "./support/figures";
import { metricTotal, readMetrics } from "./support/http";

const WEBHOOK_ENV = {
  NODE_ENV: "test",
  WEBHOOK_ALLOW_LOOPBACK: "true",
  WEBHOOK_POLL_INTERVAL_MS: "100",
};

interface Receiver {
  port: number;
  /** webhook-id → how many times it arrived. */
  received: Map<string, number>;
  requests(): number;
  close(): Promise<void>;
}

/** A receiver on 127.0.0.1 (on `port` if given) answering 204 after `delayMs`. */
async function startReceiver({ port = 0, delayMs = 0 } = {}): Promise<Receiver> {
  const received = new Map<string, number>();
  let requests = 0;
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      requests++;
      const id = String(request.headers["webhook-id"]);
      received.set(id, (received.get(id) ?? 0) + 1);
      setTimeout(() => response.writeHead(204).end(), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function freePort(): Promise<number> {
  const probe = await startReceiver();
  await probe.close();
  return probe.port;
}

async function storeWithEndpoint(port: number) {
  const store = await createTestStore();
  const { endpoint } = await createWebhookEndpoint({
    storeId: store.id,
    url: `http://127.0.0.1:${port}/hooks`,
    events: ["referral.signed_up"],
  });
  return { store, endpoint };
}

async function signUps(referralCode: string, count: number) {
  for (let index = 0; index < count; index++) {
    await recordReferralSignup({ referralCode, userId: uniqueUserId() });
  }
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

async function attemptsRecorded(endpointId: string) {
  const rows = await db.prisma.webhookDelivery.findMany({
    where: { endpointId },
    select: { attempts: true, status: true },
  });
  return {
    attempts: rows.reduce((sum, row) => sum + row.attempts, 0),
    delivered: rows.filter((row) => row.status === "delivered").length,
  };
}

const duplicatesOf = (received: Map<string, number>) =>
  [...received.values()].filter((times) => times > 1).length;

let instances: AppServer[] = [];
let receivers: Receiver[] = [];

afterEach(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
  await Promise.all(receivers.map((receiver) => receiver.close()));
  instances = [];
  receivers = [];
});

describe("reliability", () => {
  it("Webhooks: the receiver down for 10 s (a compressed 10 minutes), then back: every event delivered", async ({
    task,
  }) => {
    // GIVEN an instance with a compressed retry schedule, and 50 events for a receiver that is down
    const EVENTS = 50;
    const port = await freePort();
    const { store, endpoint } = await storeWithEndpoint(port);
    instances.push(
      await startAppServer({
        name: "reliability-webhooks-outage",
        env: { ...WEBHOOK_ENV, WEBHOOK_RETRY_BASE_MS: "200", WEBHOOK_RETRY_MAX_DELAY_MS: "2000" },
      }),
    );
    await signUps(store.referralCode, EVENTS);
    await sleep(10_000);
    const whileDown = await attemptsRecorded(endpoint.id);
    // WHEN the receiver comes back on its port
    const back = Date.now();
    const receiver = await startReceiver({ port });
    receivers.push(receiver);
    const drained = await until(() => receiver.received.size === EVENTS, 60_000);
    const drainMs = Date.now() - back;
    // THEN every event arrived (at least once), and the endpoint is still enabled
    const after = await db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    task.meta.figures =
      `${EVENTS} events, receiver down 10 s: ${whileDown.attempts} failed attempts meanwhile; ` +
      `back: all ${receiver.received.size} delivered in ${milliseconds(drainMs)}, ` +
      `${duplicatesOf(receiver.received)} duplicates, endpoint ${after.disabledAt ? "disabled" : "enabled"}`;
    expect(drained).toBe(true);
    expect(whileDown.delivered).toBe(0);
    expect(whileDown.attempts).toBeGreaterThan(EVENTS);
    expect(after.disabledAt).toBeNull();
  });

  it("Webhooks: kill -9 of the app while deliveries are in flight, then a restart: no event lost", async ({
    task,
  }) => {
    // GIVEN a slow receiver (1.5 s per answer) and 30 events being delivered by instance A
    const EVENTS = 30;
    const receiver = await startReceiver({ delayMs: 1_500 });
    receivers.push(receiver);
    const { store, endpoint } = await storeWithEndpoint(receiver.port);
    const env = { ...WEBHOOK_ENV, WEBHOOK_ATTEMPT_TIMEOUT_MS: "3000" };
    const a = await startAppServer({ name: "reliability-webhooks-killed", env });
    instances.push(a);
    await signUps(store.referralCode, EVENTS);
    expect(await until(() => receiver.requests() >= 4, 30_000)).toBe(true);
    // WHEN A is killed with attempts in flight, and B starts
    await a.kill();
    const inFlightAtKill = receiver.requests();
    const killed = Date.now();
    instances.push(await startAppServer({ name: "reliability-webhooks-restarted", env }));
    // THEN every delivery is recorded delivered: the attempts A never recorded came again after
    // their lease (the receiver got those twice, with the same webhook-id)
    const all = await until(
      async () => (await attemptsRecorded(endpoint.id)).delivered === EVENTS,
      120_000,
    );
    const recorded = await attemptsRecorded(endpoint.id);
    task.meta.figures =
      `${EVENTS} events, A killed after ${inFlightAtKill} requests had arrived: ` +
      `${receiver.received.size}/${EVENTS} delivered ${milliseconds(Date.now() - killed)} after the kill, ` +
      `${duplicatesOf(receiver.received)} sent twice (same webhook-id), ${recorded.delivered} recorded delivered`;
    expect(all).toBe(true);
    expect(receiver.received.size).toBe(EVENTS);
  });

  it("Webhooks: two instances share the outbox: every event delivered, each attempt by one instance", async ({
    task,
  }) => {
    // GIVEN two instances and 200 events
    const EVENTS = 200;
    const receiver = await startReceiver();
    receivers.push(receiver);
    const { store, endpoint } = await storeWithEndpoint(receiver.port);
    instances.push(
      ...(await Promise.all([
        startAppServer({ name: "reliability-webhooks-a", env: WEBHOOK_ENV }),
        startAppServer({ name: "reliability-webhooks-b", env: WEBHOOK_ENV }),
      ])),
    );
    // WHEN the events are written
    await signUps(store.referralCode, EVENTS);
    const all = await until(() => receiver.received.size === EVENTS, 60_000);
    await sleep(500);
    // THEN each arrived, the requests equal the attempts the database recorded (no attempt was
    // sent by both), and both instances took part
    const recorded = await attemptsRecorded(endpoint.id);
    const perInstance = await Promise.all(
      instances.map(async (instance) =>
        metricTotal(await readMetrics(instance.url), "webhook_delivery_attempts_total"),
      ),
    );
    task.meta.figures =
      `${EVENTS} events, 2 instances: ${receiver.received.size} delivered, ${receiver.requests()} requests ` +
      `for ${recorded.attempts} recorded attempts, by instance ${perInstance.join(" / ")}, ` +
      `${duplicatesOf(receiver.received)} duplicates`;
    expect(all).toBe(true);
    expect(receiver.requests()).toBe(recorded.attempts);
    expect(recorded.delivered).toBe(EVENTS);
    expect(perInstance.every((count) => count > 0)).toBe(true);
  });
});
