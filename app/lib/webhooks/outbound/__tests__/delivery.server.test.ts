// Deliveries end to end against loopback receivers: signed (checked by Svix's verifier and by
// the spec's algorithm written here), retried with the same webhook-id, timed out, 410 Gone,
// disabled after consecutive failures, and limited per endpoint.
import { createHmac } from "node:crypto";

import { Webhook as SvixWebhook } from "svix";
import { afterAll, describe, expect, it } from "vitest";

import { db } from "~/db.server";
import {
  createWebhookWorker,
  outcomeOf,
  retryDelayMs,
  runClickFeeds,
  runDueDeliveries,
  type WorkerSettings,
} from "~/lib/webhooks/outbound/worker.server";
import { recordReferralClick } from "~/models/referral-clicks.server";
import { markReferralActive, recordReferralSignup } from "~/models/referral-signups.server";
import {
  claimDueDeliveries,
  enqueueTestEvent,
  listDeliveriesForStore,
  resendDelivery,
} from "~/models/webhook-delivery.server";
import {
  createWebhookEndpoint,
  getWebhookEndpoint,
  rotateWebhookEndpointSecret,
} from "~/models/webhook-endpoint.server";
import { WebhookPayloadSchema } from "~/schemas/webhook-events";
import type { WebhookEventType } from "~/schemas/webhook-event-types";
import { createTestStore, uniqueUserId, uniqueVisitor } from "~/test/builders";
import type { FakeHttpServer, RecordedRequest } from "~/test/fakes/http";
import { assertMatchesWebhookDocument } from "~/test/openapi";
import {
  startWebhookReceiver,
  testWorkerSettings,
  waitFor,
  type ReceiverAnswer,
} from "~/test/webhooks";

const receivers: FakeHttpServer[] = [];

async function setup({
  answer,
  events = ["referral.signed_up"],
}: {
  answer?: (request: RecordedRequest, index: number) => ReceiverAnswer;
  events?: WebhookEventType[];
} = {}) {
  const receiver = await startWebhookReceiver(answer);
  receivers.push(receiver);
  const store = await createTestStore();
  const { endpoint, secret } = await createWebhookEndpoint({
    storeId: store.id,
    url: `${receiver.url}/hooks`,
    events,
  });
  return { receiver, store, endpoint, secret };
}

async function signUp(referralCode: string) {
  const userId = uniqueUserId();
  const result = await recordReferralSignup({ referralCode, userId });
  return { userId, referralId: result.referralId! };
}

/** Rounds of the worker until `condition` holds (other files' due deliveries share the table). */
async function deliverUntil(
  condition: () => boolean | Promise<boolean>,
  settings: WorkerSettings = testWorkerSettings(),
) {
  await waitFor(async () => {
    await runDueDeliveries(settings);
    return condition();
  });
}

async function deliveryRows(endpointId: string) {
  const { rows } = await db.pool.query<{
    status: string;
    attempts: number;
    lastStatusCode: number | null;
    lastError: string | null;
  }>(
    `SELECT "status", "attempts", "lastStatusCode", "lastError" FROM "WebhookDelivery"
      WHERE "endpointId" = $1 ORDER BY "createdAt"`,
    [endpointId],
  );
  return rows;
}

function svixHeaders(request: RecordedRequest) {
  return {
    "webhook-id": String(request.headers["webhook-id"]),
    "webhook-timestamp": String(request.headers["webhook-timestamp"]),
    "webhook-signature": String(request.headers["webhook-signature"]),
  };
}

describe("outbound webhook deliveries", () => {
  afterAllReceivers();

  it("sends a signed, anonymised referral.signed_up that Svix's verifier accepts", async () => {
    // GIVEN an endpoint subscribed to sign-ups
    const { receiver, store, endpoint, secret } = await setup();
    // WHEN a user signs up and the worker runs
    const { userId, referralId } = await signUp(store.referralCode);
    await deliverUntil(() => receiver.requests.length === 1);
    // THEN the receiver verifies the body with the endpoint's secret, independently
    const [request] = receiver.requests as [RecordedRequest];
    const payload = new SvixWebhook(secret).verify(request.body, svixHeaders(request));
    // AND it is a valid referral.signed_up of that referral, without the raw user id
    const parsed = WebhookPayloadSchema.parse(payload);
    expect(parsed.type).toBe("referral.signed_up");
    expect(parsed.data).toMatchObject({ referral: { id: referralId, status: "signed_up" } });
    expect(request.body).not.toContain(userId);
    expect(request.body).not.toContain("referred_user_id");
    // AND it is what the OpenAPI document's webhooks section says
    assertMatchesWebhookDocument(request);
    expect(await deliveryRows(endpoint.id)).toEqual([
      { status: "delivered", attempts: 1, lastStatusCode: 204, lastError: null },
    ]);
  });

  it("signs as the Standard Webhooks spec says (HMAC-SHA256 of id.timestamp.body, base64)", async () => {
    const { receiver, store, secret } = await setup();
    await signUp(store.referralCode);
    await deliverUntil(() => receiver.requests.length === 1);
    const [request] = receiver.requests as [RecordedRequest];
    const { "webhook-id": id, "webhook-timestamp": timestamp } = svixHeaders(request);
    const key = Buffer.from(secret.slice("whsec_".length), "base64");
    const expected = createHmac("sha256", key)
      .update(`${id}.${timestamp}.${request.body}`)
      .digest("base64");
    expect(request.headers["webhook-signature"]).toBe(`v1,${expected}`);
    expect(id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
  });

  it("signs with both secrets during a rotation's overlap: receivers holding either verify", async () => {
    const { receiver, store, endpoint, secret: oldSecret } = await setup();
    const rotated = await rotateWebhookEndpointSecret({
      storeId: store.id,
      endpointId: endpoint.id,
      overlapMs: 60_000,
    });
    await signUp(store.referralCode);
    await deliverUntil(() => receiver.requests.length === 1);
    const [request] = receiver.requests as [RecordedRequest];
    expect(String(request.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(() =>
      new SvixWebhook(oldSecret).verify(request.body, svixHeaders(request)),
    ).not.toThrow();
    expect(() =>
      new SvixWebhook(rotated!.secret).verify(request.body, svixHeaders(request)),
    ).not.toThrow();
  });

  it("signs with the new secret only once the overlap is over", async () => {
    const { receiver, store, endpoint, secret: oldSecret } = await setup();
    await rotateWebhookEndpointSecret({ storeId: store.id, endpointId: endpoint.id, overlapMs: 0 });
    await signUp(store.referralCode);
    await deliverUntil(() => receiver.requests.length === 1);
    const [request] = receiver.requests as [RecordedRequest];
    expect(() => new SvixWebhook(oldSecret).verify(request.body, svixHeaders(request))).toThrow();
  });

  it("retries a 500 with backoff and the same webhook-id, until a 2xx", async () => {
    // GIVEN a receiver that fails twice, then accepts
    const { receiver, store, endpoint } = await setup({
      answer: (_request, index) => ({ status: index < 2 ? 500 : 200 }),
    });
    await signUp(store.referralCode);
    // WHEN the worker runs until it is delivered
    await deliverUntil(() => receiver.requests.length === 3);
    // THEN three attempts carried one webhook-id, and the delivery is done
    const ids = new Set(receiver.requests.map((request) => request.headers["webhook-id"]));
    expect(ids.size).toBe(1);
    await waitFor(async () => (await deliveryRows(endpoint.id))[0]?.status === "delivered");
    expect(await deliveryRows(endpoint.id)).toEqual([
      { status: "delivered", attempts: 3, lastStatusCode: 200, lastError: null },
    ]);
  });

  it("gives a slow receiver the attempt timeout, then retries", async () => {
    const { receiver, store, endpoint } = await setup({
      answer: (_request, index) => ({ status: 200, delayMs: index === 0 ? 1_000 : 0 }),
    });
    await signUp(store.referralCode);
    const settings = testWorkerSettings({ timeoutMs: 200, retryBaseMs: 10_000 });
    await deliverUntil(() => receiver.requests.length === 1, settings);
    await waitFor(async () => (await deliveryRows(endpoint.id))[0]?.attempts === 1);
    expect(await deliveryRows(endpoint.id)).toEqual([
      { status: "pending", attempts: 1, lastStatusCode: null, lastError: "timed out after 200 ms" },
    ]);
    // The retry is due at once when asked (resend is tested below): make it due now.
    await db.pool.query(
      `UPDATE "WebhookDelivery" SET "nextAttemptAt" = now() WHERE "endpointId" = $1`,
      [endpoint.id],
    );
    await deliverUntil(async () => (await deliveryRows(endpoint.id))[0]?.status === "delivered");
    expect(receiver.requests).toHaveLength(2);
  });

  it("disables the endpoint on 410 Gone and queues nothing more for it", async () => {
    const { receiver, store, endpoint } = await setup({ answer: () => ({ status: 410 }) });
    await signUp(store.referralCode);
    await deliverUntil(() => receiver.requests.length === 1);
    await waitFor(async () => (await deliveryRows(endpoint.id))[0]?.status === "failed");
    const after = await getWebhookEndpoint({ storeId: store.id, endpointId: endpoint.id });
    expect(after?.disabledAt).toBeInstanceOf(Date);
    expect(after?.disabledReason).toBe("The endpoint answered 410 Gone.");
    await signUp(store.referralCode);
    expect(await deliveryRows(endpoint.id)).toHaveLength(1);
  });

  it("keeps an endpoint enabled through retries, and disables it after N deliveries failed in a row, saying why", async () => {
    // GIVEN a receiver that always fails, and a limit of 3 failed deliveries
    const { receiver, store, endpoint } = await setup({ answer: () => ({ status: 503 }) });
    for (let index = 0; index < 4; index++) await signUp(store.referralCode);
    const endpointNow = () => getWebhookEndpoint({ storeId: store.id, endpointId: endpoint.id });
    // WHEN attempts fail but are retried: the endpoint stays enabled
    const retrying = testWorkerSettings({
      maxConsecutiveFailures: 3,
      perEndpoint: 1,
      retryBaseMs: 10,
    });
    await deliverUntil(() => receiver.requests.length >= 6, retrying);
    expect((await endpointNow())?.disabledAt).toBeNull();
    // AND when deliveries are given up (their window over), the third one disables it
    const givingUp = { ...retrying, retryWindowMs: 0 };
    await deliverUntil(async () => (await endpointNow())?.disabledAt != null, givingUp);
    expect((await endpointNow())?.disabledReason).toBe(
      "3 deliveries in a row failed after every retry (last: HTTP 503).",
    );
    // THEN nothing more is sent while disabled; the fourth delivery waits, pending
    const requestsWhenDisabled = receiver.requests.length;
    await runDueDeliveries(givingUp);
    expect(receiver.requests).toHaveLength(requestsWhenDisabled);
    expect((await deliveryRows(endpoint.id)).map((row) => row.status).sort()).toEqual([
      "failed",
      "failed",
      "failed",
      "pending",
    ]);
  });

  it("gives a delivery up once its retry window is over", async () => {
    const { receiver, store, endpoint } = await setup({ answer: () => ({ status: 500 }) });
    await signUp(store.referralCode);
    await deliverUntil(
      () => receiver.requests.length >= 1,
      testWorkerSettings({ retryWindowMs: 0 }),
    );
    await waitFor(async () => (await deliveryRows(endpoint.id))[0]?.status === "failed");
    expect(await deliveryRows(endpoint.id)).toEqual([
      { status: "failed", attempts: 1, lastStatusCode: 500, lastError: "HTTP 500" },
    ]);
  });

  it("sends the raw user id only to an endpoint on an origin the operator trusts", async () => {
    const { receiver, store } = await setup({
      events: ["referral.signed_up", "referral.activated"],
    });
    const { userId } = await signUp(store.referralCode);
    await markReferralActive({ userId });
    const trusted = testWorkerSettings({ trustedOrigins: [new URL(receiver.url).origin] });
    await deliverUntil(() => receiver.requests.length === 2, trusted);
    for (const request of receiver.requests) {
      const payload = WebhookPayloadSchema.parse(JSON.parse(request.body));
      expect(payload.data).toMatchObject({ referred_user_id: userId });
      assertMatchesWebhookDocument(request);
    }
  });

  it("resends a delivery with the same webhook-id (a receiver deduplicates it)", async () => {
    const { receiver, store } = await setup();
    await signUp(store.referralCode);
    await deliverUntil(() => receiver.requests.length === 1);
    const { entries } = await listDeliveriesForStore({ storeId: store.id });
    const resent = await resendDelivery({ storeId: store.id, deliveryId: entries[0]!.id });
    expect(resent).not.toBeNull();
    await deliverUntil(() => receiver.requests.length === 2);
    const [first, second] = receiver.requests as [RecordedRequest, RecordedRequest];
    expect(second.headers["webhook-id"]).toBe(first.headers["webhook-id"]);
    expect(second.body).toBe(first.body);
  });

  it("sends a test event to one endpoint, whatever it subscribes to", async () => {
    const { receiver, store, endpoint } = await setup({ events: ["referral.activated"] });
    expect(await enqueueTestEvent({ storeId: store.id, endpointId: endpoint.id })).not.toBeNull();
    await deliverUntil(() => receiver.requests.length === 1);
    const payload = WebhookPayloadSchema.parse(JSON.parse(receiver.requests[0]!.body));
    expect(payload.type).toBe("webhook.test");
    assertMatchesWebhookDocument(receiver.requests[0]!);
  });

  it("turns a subscribed store's new clicks into referral.clicked events, once each", async () => {
    const { receiver, store } = await setup({ events: ["referral.clicked"] });
    const click = await recordReferralClick({
      referralCode: store.referralCode,
      visitorHash: uniqueVisitor(),
    });
    if (!click.recorded) throw new Error("click not recorded");
    const settings = testWorkerSettings({ clickFeedLagMs: -60_000 });
    await runClickFeeds(settings);
    await runClickFeeds(settings);
    await deliverUntil(() => receiver.requests.length === 1, settings);
    const payload = WebhookPayloadSchema.parse(JSON.parse(receiver.requests[0]!.body));
    expect(payload).toMatchObject({
      type: "referral.clicked",
      data: { referral: { id: click.clickId } },
    });
    assertMatchesWebhookDocument(receiver.requests[0]!);
    await runClickFeeds(settings);
    await runDueDeliveries(settings);
    expect(receiver.requests).toHaveLength(1);
  });

  it("claims at most the per-endpoint limit for one endpoint, and never one attempt twice", async () => {
    // GIVEN an endpoint with five due deliveries
    const { store, endpoint } = await setup();
    for (let index = 0; index < 5; index++) await signUp(store.referralCode);
    // WHEN two claims run at once with a limit of two per endpoint
    const claim = () =>
      claimDueDeliveries({ limit: 100, perEndpoint: 2, inFlight: new Map(), leaseMs: 60_000 });
    const [first, second] = await Promise.all([claim(), claim()]);
    const mine = (rows: typeof first) => rows.filter((row) => row.endpointId === endpoint.id);
    // THEN each took at most two of them, and none was taken by both
    expect(mine(first).length).toBeLessThanOrEqual(2);
    expect(mine(second).length).toBeLessThanOrEqual(2);
    const ids = [...mine(first), ...mine(second)].map((row) => row.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(0);
    // AND with two already in flight in this instance, it takes none
    const busy = await claimDueDeliveries({
      limit: 100,
      perEndpoint: 2,
      inFlight: new Map([[endpoint.id, 2]]),
      leaseMs: 60_000,
    });
    expect(mine(busy)).toEqual([]);
  });

  it("delivers from its own loop, and stops after its attempts in flight", async () => {
    const { receiver, store } = await setup({ answer: () => ({ status: 200, delayMs: 100 }) });
    const worker = createWebhookWorker(testWorkerSettings());
    try {
      await signUp(store.referralCode);
      await waitFor(() => receiver.requests.length === 1);
    } finally {
      await worker.stop();
    }
  });

  it("waits longer after each failure, with jitter, up to the maximum", () => {
    const settings = { retryBaseMs: 5_000, retryMaxDelayMs: 4 * 3_600_000 };
    expect(retryDelayMs(1, settings, () => 0)).toBe(2_500);
    expect(retryDelayMs(1, settings, () => 1)).toBe(5_000);
    expect(retryDelayMs(4, settings, () => 1)).toBe(40_000);
    expect(retryDelayMs(30, settings, () => 1)).toBe(4 * 3_600_000);
  });

  it("retries for the whole 24 hours after the delivery was queued, then gives up", () => {
    const settings = testWorkerSettings({ retryWindowMs: 24 * 3_600_000 });
    const queued = new Date("2026-12-01T00:00:00Z");
    const failure = { statusCode: 500, latencyMs: 3, error: "HTTP 500" };
    const at = (ms: number) =>
      outcomeOf(failure, { attempt: 12, createdAt: queued }, settings, queued.getTime() + ms);
    expect(at(24 * 3_600_000 - 1_000)).toMatchObject({
      kind: "failed",
      nextAttemptAt: expect.any(Date),
    });
    expect(at(24 * 3_600_000)).toEqual({ kind: "failed", nextAttemptAt: null });
    expect(
      outcomeOf({ ...failure, statusCode: 410 }, { attempt: 1, createdAt: queued }, settings),
    ).toEqual({
      kind: "gone",
    });
  });
});

function afterAllReceivers() {
  afterAll(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
  });
}
