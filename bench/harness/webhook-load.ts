// Benchmark harness (never part of the app): outbound webhooks end to end, delivered by a running
// app instance (its worker) to a receiver on loopback in this process.
//   1. latency: sign-ups at RATE per second for SECONDS (through the model, as the Clerk webhook
//      records them); for each, the time from its commit to its first arrival at the receiver.
//   2. throughput: DELIVERIES referral.signed_up deliveries queued at once over ENDPOINTS endpoints
//      of the store (set-based SQL, as the sign-up statement writes them); the rate at which they
//      arrive. One endpoint alone is bounded by WEBHOOK_ENDPOINT_CONCURRENCY.
// Usage (bundled by bench/lib/harness.mjs): node webhook-load.mjs RATE SECONDS DELIVERIES ENDPOINTS
// Prints one JSON line.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { closeDatabase, db } from "~/db.server";
import { recordReferralSignup } from "~/models/referral-signups.server";
import { ensureStoreForShop } from "~/models/store.server";
import { createWebhookEndpoint } from "~/models/webhook-endpoint.server";

const [rate = 100, seconds = 10, deliveries = 5000, endpointCount = 8] = process.argv
  .slice(2)
  .map(Number);
const now = () => performance.timeOrigin + performance.now();

const arrivals = new Map<string, number>();
let received = 0;
const receiver = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const at = now();
    received++;
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
      data: { referral: { id: string } };
    };
    if (!arrivals.has(body.data.referral.id)) arrivals.set(body.data.referral.id, at);
    response.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));

const { store } = await ensureStoreForShop({
  shopDomain: `bench-webhooks-${randomBytes(3).toString("hex")}.myshopify.com`,
  name: "Bench webhooks",
});
const { endpoint } = await createWebhookEndpoint({
  storeId: store.id,
  url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
  events: ["referral.signed_up"],
});

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function waitUntil(condition: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

// 1. Latency at a steady rate of sign-ups.
const committed = new Map<string, number>();
const total = rate * seconds;
const started = now();
const pending: Promise<void>[] = [];
for (let index = 0; index < total; index++) {
  const due = started + (index * 1000) / rate;
  const wait = due - now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  pending.push(
    recordReferralSignup({
      referralCode: store.referralCode,
      userId: `bench_webhook_${randomBytes(8).toString("hex")}`,
    }).then((result) => {
      if (result.referralId) committed.set(result.referralId, now());
    }),
  );
}
await Promise.all(pending);
const achievedRate = total / ((now() - started) / 1000);
await waitUntil(() => arrivals.size >= committed.size, 60_000);
const latencies = [...committed].flatMap(([id, at]) => {
  const arrival = arrivals.get(id);
  return arrival === undefined ? [] : [arrival - at];
});

// 2. Throughput: a backlog of deliveries at once, spread over `endpointCount` endpoints.
const receivedBefore = received;
const endpointIds = [endpoint.id];
for (let index = 1; index < endpointCount; index++) {
  const extra = await createWebhookEndpoint({
    storeId: store.id,
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/${index}`,
    events: ["referral.activated"],
  });
  endpointIds.push(extra.endpoint.id);
}
await db.pool.query(
  `WITH events AS (
     INSERT INTO "WebhookEvent" ("storeId", "type", "referralId")
     SELECT r."storeId", 'referral.signed_up', r."id"
       FROM "StoreReferral" r, generate_series(1, ceil($2::numeric / $3)::int)
      WHERE r."storeId" = $1
      LIMIT $2
     RETURNING "id"
   ),
   numbered AS (SELECT "id", row_number() OVER () AS n FROM events)
   INSERT INTO "WebhookDelivery" ("eventId", "endpointId")
   SELECT numbered."id", ($4::uuid[])[1 + (numbered.n % cardinality($4::uuid[]))] FROM numbered`,
  [store.id, deliveries, Math.max(1, committed.size), endpointIds],
);
const backlogStarted = now();
let firstAt = 0;
await waitUntil(() => {
  if (!firstAt && received > receivedBefore) firstAt = now();
  return received - receivedBefore >= deliveries;
}, 180_000);
const backlogSeconds = (now() - (firstAt || backlogStarted)) / 1000;

receiver.close();
await closeDatabase();
console.info(
  JSON.stringify({
    latency: {
      signups: committed.size,
      achievedRate,
      delivered: latencies.length,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: Math.max(...latencies),
    },
    throughput: {
      endpoints: endpointIds.length,
      deliveries,
      received: received - receivedBefore,
      seconds: backlogSeconds,
      perSecond: (received - receivedBefore) / backlogSeconds,
    },
  }),
);
