// Outbound webhook test helpers: a loopback receiver that records what it gets and answers as
// told, and worker settings for tests (loopback allowed, short timeouts, compressed retries).
import type { ServerResponse } from "node:http";

import { parseEnvironment } from "~/env.server";
import { workerSettingsOf, type WorkerSettings } from "~/lib/webhooks/outbound/worker.server";
import { startFakeHttpServer, type FakeHttpServer, type RecordedRequest } from "~/test/fakes/http";

export function testWorkerSettings(overrides: Partial<WorkerSettings> = {}): WorkerSettings {
  const env = parseEnvironment({ ...process.env, WEBHOOK_ALLOW_LOOPBACK: "true" });
  return {
    ...workerSettingsOf(env),
    pollIntervalMs: 20,
    // Other test files' endpoints (https://hooks.example.com, never reachable) share the outbox:
    // a round that claims them waits at most this long for them.
    timeoutMs: 1_000,
    retryBaseMs: 20,
    retryMaxDelayMs: 200,
    ...overrides,
  };
}

export type ReceiverAnswer = { status: number; delayMs?: number };

/**
 * A receiver on 127.0.0.1: `answer` decides each response (by the request's number, from 0);
 * 204 by default.
 */
export async function startWebhookReceiver(
  answer: (request: RecordedRequest, index: number) => ReceiverAnswer = () => ({ status: 204 }),
): Promise<FakeHttpServer> {
  let index = 0;
  return startFakeHttpServer(async (request, response: ServerResponse) => {
    const { status, delayMs = 0 } = answer(request, index++);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (response.destroyed) return;
    response.statusCode = status;
    response.end();
  });
}

/** Waits until `condition` holds (polling), or fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
