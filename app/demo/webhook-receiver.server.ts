// `npm run demo`'s webhook receiver: a server on 127.0.0.1 that verifies each delivery's
// Standard Webhooks signature and logs it, subscribed to the demo store, so a newcomer sees
// deliveries arrive after the demo sign-up (and their log in the admin's Webhooks page).
// Development only: reached through the demo's gate, and it refuses to start in production.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { Webhook } from "standardwebhooks";

import { getEnv } from "~/env.server";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookEndpoints,
} from "~/models/webhook-endpoint.server";
import { DEFAULT_WEBHOOK_EVENT_TYPES } from "~/schemas/webhook-event-types";

const DEMO_RECEIVER_PATH = "/demo-webhooks";
const BODY_MAX = 256 * 1024;

export interface DemoWebhookReceiver {
  url: string;
  /** Deliveries received and verified since start. */
  received(): number;
}

/** Starts the receiver and points the demo store's one loopback endpoint at it. */
export async function startDemoWebhookReceiver({
  storeId,
  log,
}: {
  storeId: number;
  log(message: string): void;
}): Promise<DemoWebhookReceiver> {
  const env = getEnv();
  if (!env.demoFeaturesEnabled || !env.WEBHOOK_ALLOW_LOOPBACK) {
    throw new Error("The demo webhook receiver needs development mode and WEBHOOK_ALLOW_LOOPBACK.");
  }
  // Set once the endpoint (and its secret) exists; nothing is sent to the receiver before.
  const state: { verifier?: Webhook } = {};
  let count = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_MAX) request.destroy();
      else chunks.push(chunk);
    });
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      try {
        const headers = Object.fromEntries(
          ["webhook-id", "webhook-timestamp", "webhook-signature"].map((name) => [
            name,
            String(request.headers[name] ?? ""),
          ]),
        );
        const payload = state.verifier!.verify(body, headers) as { type?: string };
        count++;
        log(`webhook received: ${payload.type} ${headers["webhook-id"]} (signature verified)`);
        response.writeHead(204).end();
      } catch (error) {
        log(`webhook refused: ${String(error)}`);
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${DEMO_RECEIVER_PATH}`;
  // The port changes from run to run: the previous run's receiver endpoint goes, a new one comes.
  for (const endpoint of await listWebhookEndpoints({ storeId })) {
    if (endpoint.url.startsWith("http://127.0.0.1:") && endpoint.url.endsWith(DEMO_RECEIVER_PATH)) {
      await deleteWebhookEndpoint({ storeId, endpointId: endpoint.id });
    }
  }
  const { secret } = await createWebhookEndpoint({
    storeId,
    url,
    events: DEFAULT_WEBHOOK_EVENT_TYPES,
  });
  state.verifier = new Webhook(secret);
  return { url, received: () => count };
}
