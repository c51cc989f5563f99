// Click load with autocannon: keep-alive connections, a browser User-Agent, a distinct visitor
// per request (X-Forwarded-For with one entry, as the load balancer appends it to a request that
// had none: the entry the app reads with its default TRUSTED_PROXY_HOPS=1), and the click id of
// every response that acknowledged a click.
import autocannon from "autocannon";

import { percentile } from "./stats.mjs";

export const BROWSER_USER_AGENT =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

let visitorSerial = 0;
const runTag = process.pid % 250;

/** A new IPv4-looking address per call (never repeated within a benchmark run). */
export function nextVisitorAddress() {
  visitorSerial++;
  return `${runTag}.${(visitorSerial >> 16) & 255}.${(visitorSerial >> 8) & 255}.${visitorSerial & 255}`;
}

/** How many distinct values each tagged dimension takes (the "50 values per dimension"). */
export const TAGGED_VALUES = 50;

let taggedSerial = 0;

/**
 * The UTM parameters and Referer of the next tagged click: each of utm_source, utm_medium,
 * utm_campaign and the referring site cycles through TAGGED_VALUES values, out of step, so that
 * a batch of clicks writes many breakdown rows (the worst case for the click statement).
 */
export function nextTaggedClick() {
  const serial = taggedSerial++;
  const value = (step) => (serial * step) % TAGGED_VALUES;
  return {
    query: `?utm_source=source-${value(1)}&utm_medium=medium-${value(7)}&utm_campaign=campaign-${value(13)}`,
    referer: `https://site-${value(17)}.example/some/page?q=private`,
  };
}

/** The click id a response acknowledged: ref_click=<uuid>[.<signature>], or null. */
function clickIdOf(headers) {
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== "set-cookie") continue;
    for (const cookie of Array.isArray(value) ? value : [value]) {
      const match = /^ref_click=([0-9a-f-]{36})/.exec(cookie);
      if (match) return match[1];
    }
  }
  return null;
}

/**
 * Follows `path` on `url` with 50 connections for `seconds` (or at `overallRate` requests/s).
 * Returns autocannon's figures plus the acknowledged click ids. With a rate, also the p99 of the
 * raw response times: autocannon corrects its own latencies for coordinated omission assuming a
 * request every ceil(1 / rate per connection) = 1 ms, so that one slow response adds as many
 * synthetic samples as it lasted milliseconds. `tagged`: every click carries UTM values and a
 * Referer (nextTaggedClick).
 */
export async function clickLoad({
  url,
  path,
  seconds,
  connections = 50,
  overallRate,
  tagged = false,
}) {
  const clickIds = [];
  const responseTimes = [];
  let redirects = 0;
  const run = autocannon({
    url: `${url}${path}`,
    connections,
    duration: seconds,
    ...(overallRate ? { overallRate } : {}),
    headers: { "user-agent": BROWSER_USER_AGENT },
    requests: [
      {
        setupRequest(request) {
          request.headers = { ...request.headers, "x-forwarded-for": nextVisitorAddress() };
          if (tagged) {
            const click = nextTaggedClick();
            request.path = `${path}${click.query}`;
            request.headers.referer = click.referer;
          }
          return request;
        },
        onResponse(status, _body, _context, headers) {
          if (status !== 302) return;
          redirects++;
          const clickId = clickIdOf(headers);
          if (clickId) clickIds.push(clickId);
        },
      },
    ],
  });
  if (overallRate) run.on("response", (_client, _status, _bytes, time) => responseTimes.push(time));
  const result = await run;
  return {
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    rawP99: overallRate ? percentile(responseTimes, 99) : null,
    errors: result.errors + result.timeouts,
    redirects,
    clickIds,
  };
}
