// Shoppers following a referral link: `connections` keep-alive connections, each sending the next
// request as soon as the previous one is answered, every request from a new visitor (its own
// X-Forwarded-For, one entry: what the load balancer appends, read with TRUSTED_PROXY_HOPS=1) with
// a browser User-Agent. Records every status, latency and acknowledged
// click id (the signed ref_click cookie), and keeps going through connection errors.
import { Agent, request } from "node:http";

import { verifyClickId } from "~/lib/referral-links/cookie.server";
import { BROWSER_USER_AGENT } from "~/test/shopify";

export interface ShopperRun {
  requests: number;
  statuses: Record<number, number>;
  /** Requests that got no HTTP answer at all (connection refused or reset). */
  errors: number;
  maxLatencyMs: number;
  latencies: number[];
  /** Acknowledged clicks: the verified click id and when its response arrived (ms since start). */
  acknowledged: Array<{ clickId: string; at: number }>;
  /** Responses without a click cookie, and when they arrived. */
  unacknowledgedAt: number[];
}

let visitorSerial = 0;

export function nextVisitorAddress() {
  visitorSerial++;
  return `10.${(visitorSerial >> 16) & 255}.${(visitorSerial >> 8) & 255}.${visitorSerial & 255}`;
}

export async function runShoppers({
  url,
  path,
  connections = 50,
  seconds,
  stop,
  headers = () => ({ "x-forwarded-for": nextVisitorAddress() }),
}: {
  url: string;
  path: string;
  connections?: number;
  seconds: number;
  /** Ends the run early when it resolves. */
  stop?: Promise<unknown>;
  headers?: () => Record<string, string>;
}): Promise<ShopperRun> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const run: ShopperRun = {
    requests: 0,
    statuses: {},
    errors: 0,
    maxLatencyMs: 0,
    latencies: [],
    acknowledged: [],
    unacknowledgedAt: [],
  };
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let stopped = false;
  void stop?.then(() => (stopped = true));

  const follow = () =>
    new Promise<void>((resolve) => {
      const sent = performance.now();
      const outgoing = request(
        `${url}${path}`,
        { agent, headers: { "user-agent": BROWSER_USER_AGENT, ...headers() } },
        (incoming) => {
          incoming.resume();
          incoming.on("end", () => {
            const now = performance.now();
            run.requests++;
            run.statuses[incoming.statusCode ?? 0] =
              (run.statuses[incoming.statusCode ?? 0] ?? 0) + 1;
            run.latencies.push(now - sent);
            run.maxLatencyMs = Math.max(run.maxLatencyMs, now - sent);
            const clickCookie = (incoming.headers["set-cookie"] ?? [])
              .map((cookie) => /^ref_click=([^;]+)/.exec(cookie)?.[1])
              .find(Boolean);
            const clickId = verifyClickId(clickCookie);
            if (clickId) run.acknowledged.push({ clickId, at: now - started });
            else run.unacknowledgedAt.push(now - started);
            resolve();
          });
        },
      );
      outgoing.setTimeout(30_000, () => outgoing.destroy(new Error("timeout")));
      outgoing.on("error", () => {
        run.errors++;
        // A dead server refuses at once: do not spin.
        setTimeout(resolve, 20);
      });
      outgoing.end();
    });

  async function connection() {
    while (!stopped && performance.now() < deadline) await follow();
  }
  await Promise.all(Array.from({ length: connections }, connection));
  agent.destroy();
  return run;
}
