// Requests as shoppers (and bots) send them, and helpers to read the cookies a response sets.
import { randomInt } from "node:crypto";

import { getEnv, resetEnvForTests } from "~/env.server";
import { BROWSER_USER_AGENT } from "~/test/shopify";

export { BROWSER_USER_AGENT };

/** Instagram's in-app browser on iOS: a person, not a bot. */
export const INSTAGRAM_IN_APP_USER_AGENT =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 309.0.0.28.111 (iPhone14,5; iOS 17_0; en_US; en; scale=3.00; 1170x2532; 536152345)";

/**
 * A random private client address per call, so that visitors of different tests never collide.
 * Sent as the whole X-Forwarded-For by default: the one entry the load balancer appends to a
 * request that arrived without one (the last entry, what TRUSTED_PROXY_HOPS=1 reads).
 */
export function uniqueClientIp() {
  return `10.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

/** Runs `run` with TRUSTED_PROXY_HOPS set to `hops`, then restores the previous environment. */
export async function withTrustedProxyHops<T>(hops: number, run: () => Promise<T>): Promise<T> {
  const previous = process.env.TRUSTED_PROXY_HOPS;
  process.env.TRUSTED_PROXY_HOPS = String(hops);
  resetEnvForTests();
  try {
    return await run();
  } finally {
    if (previous === undefined) delete process.env.TRUSTED_PROXY_HOPS;
    else process.env.TRUSTED_PROXY_HOPS = previous;
    resetEnvForTests();
  }
}

export function shopperRequest(
  path: string,
  {
    method = "GET",
    userAgent = BROWSER_USER_AGENT,
    cookie,
    clientIp = uniqueClientIp(),
    forwardedFor = clientIp,
    headers = {},
    body,
  }: {
    body?: BodyInit;
    method?: string;
    userAgent?: string | null;
    cookie?: string;
    clientIp?: string;
    /** The whole X-Forwarded-For value; defaults to `clientIp` alone. */
    forwardedFor?: string;
    headers?: Record<string, string>;
  } = {},
) {
  const allHeaders = new Headers(headers);
  if (userAgent) allHeaders.set("user-agent", userAgent);
  if (cookie) allHeaders.set("cookie", cookie);
  allHeaders.set("x-forwarded-for", forwardedFor);
  return new Request(new URL(path, getEnv().SHOPIFY_APP_URL), {
    method,
    headers: allHeaders,
    body,
  });
}

export interface SetCookie {
  name: string;
  value: string;
  /** The attributes as sent, e.g. ["Max-Age=2592000", "Path=/", "HttpOnly", …]. */
  attributes: string[];
}

export function setCookiesOf(response: Response): SetCookie[] {
  return response.headers.getSetCookie().map((line) => {
    const [pair = "", ...attributes] = line.split("; ");
    const equals = pair.indexOf("=");
    return { name: pair.slice(0, equals), value: pair.slice(equals + 1), attributes };
  });
}

/** The Cookie header a browser would send after this response. */
export function cookieHeaderAfter(response: Response, existing = ""): string {
  const jar = new Map(
    existing
      .split("; ")
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
  );
  for (const cookie of setCookiesOf(response)) {
    if (cookie.attributes.includes("Max-Age=0")) jar.delete(cookie.name);
    else jar.set(cookie.name, cookie.value);
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
}
