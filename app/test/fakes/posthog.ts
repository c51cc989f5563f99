// PostHog's ingestion API faked on loopback: posthog-node sends `POST /batch/` with
// `{ api_key, batch: [{ event, distinct_id, properties, … }] }` (gzip or plain JSON).
import { startFakeHttpServer, type FakeHttpServer } from "~/test/fakes/http";

export interface CapturedEvent {
  event: string;
  distinct_id: string;
  properties: Record<string, unknown>;
  api_key: string;
}

export interface FakePostHog extends FakeHttpServer {
  events: CapturedEvent[];
}

export async function startFakePostHog(): Promise<FakePostHog> {
  const events: CapturedEvent[] = [];
  const server = await startFakeHttpServer((request, response) => {
    if (request.method === "POST" && request.path.startsWith("/batch")) {
      const payload = JSON.parse(request.body) as {
        api_key: string;
        batch: Array<Omit<CapturedEvent, "api_key">>;
      };
      for (const entry of payload.batch) events.push({ ...entry, api_key: payload.api_key });
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ status: 1 }));
      return;
    }
    response.writeHead(404);
    response.end();
  });
  return Object.assign(server, { events });
}
