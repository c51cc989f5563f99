// The node:http fast path (handleNodeRequest) must answer /r/:code exactly like the Remix route.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect, type AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { verifyClickId } from "~/lib/referral-links/cookie.server";
import { loader } from "~/routes/r.$code";
import { handleNodeRequest } from "~/server/runtime.server";
import { createTestStore } from "~/test/builders";
import {
  BROWSER_USER_AGENT,
  setCookiesOf,
  shopperRequest,
  uniqueClientIp,
  withTrustedProxyHops,
} from "~/test/shopper";

let server: Server;
let baseUrl: string;
/** Requests the fast path left to Remix. */
const leftToRemix: string[] = [];

/** What Remix would do with a request the fast path declined: the r.$code route, or 404. */
async function answerWithRemixRoute(request: IncomingMessage, response: ServerResponse) {
  leftToRemix.push(request.url ?? "");
  const url = new URL(request.url ?? "/", "https://store-referrals.test");
  const match = /^\/r\/([^/]+)\/?$/.exec(url.pathname);
  if (!match) {
    response.writeHead(404).end();
    return;
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === "string") headers.set(name, value);
  }
  const remixResponse = await loader({
    request: new Request(url, { method: request.method, headers }),
    params: { code: decodeURIComponent(match[1]!) },
    context: { clientAddress: request.socket.remoteAddress ?? null },
  });
  const flat: string[] = [];
  remixResponse.headers.forEach((value, name) => {
    if (name !== "set-cookie") flat.push(name, value);
  });
  for (const cookie of remixResponse.headers.getSetCookie()) flat.push("set-cookie", cookie);
  response.writeHead(remixResponse.status, flat).end();
}

beforeAll(async () => {
  server = createServer((request, response) => {
    void handleNodeRequest(request, response).then((handled) =>
      handled ? undefined : answerWithRemixRoute(request, response),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
});

interface Visit {
  path: string;
  method?: string;
  userAgent?: string | null;
}

async function throughFastPath({ path, method = "GET", userAgent = BROWSER_USER_AGENT }: Visit) {
  const headers: Record<string, string> = { "x-forwarded-for": uniqueClientIp() };
  if (userAgent) headers["user-agent"] = userAgent;
  return fetch(`${baseUrl}${path}`, { method, headers, redirect: "manual" });
}

async function throughRemixRoute({ path, method = "GET", userAgent = BROWSER_USER_AGENT }: Visit) {
  const request = shopperRequest(path, { method, userAgent });
  const segment = new URL(request.url).pathname.slice(3);
  return loader({
    request,
    params: { code: decodeURIComponent(segment) },
    context: { clientAddress: "127.0.0.1" },
  });
}

/**
 * GET `path` over a raw connection, with the header lines exactly as given (fetch would merge
 * repeated ones); returns the status line and the Set-Cookie values.
 */
async function rawGet(path: string, headerLines: string[]) {
  const port = Number(new URL(baseUrl).port);
  const head = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(
        [
          `GET ${path} HTTP/1.1`,
          "Host: 127.0.0.1",
          "Connection: close",
          ...headerLines,
          "",
          "",
        ].join("\r\n"),
      );
    });
    let received = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (received += chunk));
    socket.on("end", () => resolve(received.split("\r\n\r\n")[0]!));
    socket.on("error", reject);
  });
  const [statusLine = "", ...lines] = head.split("\r\n");
  return {
    status: Number(statusLine.split(" ")[1]),
    setCookies: lines.filter((line) => /^set-cookie:/i.test(line)),
  };
}

/** Everything a visitor can observe, cookie values reduced to whether they carry a valid click. */
function observable(response: Response) {
  return {
    status: response.status,
    location: response.headers.get("location"),
    cacheControl: response.headers.get("cache-control"),
    cookies: setCookiesOf(response).map(({ name, value, attributes }) => ({
      name,
      value: name === "ref_click" ? verifyClickId(value) !== null : value,
      attributes,
    })),
  };
}

describe("the /r/:code fast path", () => {
  it("answers a store's short link itself, with the Remix route's response, and records the click", async () => {
    // GIVEN an active store
    const store = await createTestStore();
    const path = `/r/${store.referralCode}?utm_source=instagram&utm_campaign=spring&channel=qr`;
    const before = leftToRemix.length;
    // WHEN one shopper follows the link through the fast path and another through Remix
    const fast = await throughFastPath({ path });
    const remix = await throughRemixRoute({ path });
    // THEN the fast path answered without Remix, the same way, and both clicks are committed
    expect(leftToRemix.length).toBe(before);
    expect(observable(fast)).toEqual(observable(remix));
    expect(observable(fast).cookies.map(({ name }) => name)).toEqual(["ref", "ref_click"]);
    const clickIds = [fast, remix].map((response) =>
      verifyClickId(setCookiesOf(response).find(({ name }) => name === "ref_click")?.value),
    );
    const rows = await db.prisma.storeReferral.findMany({ where: { storeId: store.id } });
    expect(rows.map((row) => row.id).sort()).toEqual([...clickIds].sort());
    expect(rows.every((row) => row.channel === "qr")).toBe(true);
  });

  it.each([
    ["an unknown store code", "/r/store-nobody-7c1d?utm_source=ig"],
    ["a generic code", "/r/friend-code?channel=storefront"],
    [
      "repeated and oversized parameters",
      `/r/store-nobody-7c1d?utm_term=${"y".repeat(400)}&utm_term=b`,
    ],
    ["a bad channel", "/r/store-nobody-7c1d?channel=%3Cscript%3E"],
    ["a next parameter", "/r/store-nobody-7c1d?next=//evil.com"],
  ])("answers %s like the Remix route", async (_, path) => {
    const before = leftToRemix.length;
    const fast = await throughFastPath({ path });
    expect(leftToRemix.length).toBe(before);
    expect(observable(fast)).toEqual(observable(await throughRemixRoute({ path })));
  });

  it.each([
    ["a bot", { userAgent: "Twitterbot/1.0" }],
    ["no user agent", { userAgent: null }],
    ["a HEAD request", { method: "HEAD" }],
  ])("answers %s like the Remix route (no cookie)", async (_, visit) => {
    const store = await createTestStore();
    const path = `/r/${store.referralCode}?utm_source=ig`;
    const fast = await throughFastPath({ path, ...visit });
    expect(observable(fast)).toEqual(observable(await throughRemixRoute({ path, ...visit })));
    expect(fast.headers.getSetCookie()).toEqual([]);
    expect(await db.prisma.storeReferral.count({ where: { storeId: store.id } })).toBe(0);
  });

  it.each([
    ["an invalid code", "/r/!!!"],
    ["an encoded character", "/r/store%2Dchen-a1b2"],
    ["encoded slashes", "/r/%2F%2Fevil.com"],
    ["a trailing slash", "/r/store-nobody-7c1d/"],
    ["a 65-character code", `/r/store-${"a".repeat(59)}`],
  ])("leaves %s to Remix, which redirects the same way", async (_, path) => {
    const before = leftToRemix.length;
    const response = await throughFastPath({ path });
    expect(leftToRemix.length).toBe(before + 1);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/");
  });

  it("leaves other paths and methods to Remix", async () => {
    const before = leftToRemix.length;
    const paths = ["/", "/r", "/r/", "/rx/store-a-1234", "/r/store-a-1234/extra"];
    for (const path of paths) await throughFastPath({ path });
    await throughFastPath({ path: "/r/store-a-1234", method: "POST" });
    expect(leftToRemix.slice(before)).toEqual([...paths, "/r/store-a-1234"]);
  });

  it("counts once one visitor's clicks with invented X-Forwarded-For lines before the balancer's", async () => {
    // GIVEN one load balancer in front (TRUSTED_PROXY_HOPS=1) and an active store
    const store = await createTestStore();
    const visitor = uniqueClientIp();
    // WHEN one visitor (one peer, one user agent) clicks ten times, each time sending an invented
    // X-Forwarded-For line of its own before the one the balancer appends
    const responses = [];
    for (let index = 0; index < 10; index++) {
      responses.push(
        await rawGet(`/r/${store.referralCode}`, [
          `User-Agent: ${BROWSER_USER_AGENT}`,
          `X-Forwarded-For: ${uniqueClientIp()}, ${uniqueClientIp()}`,
          `X-Forwarded-For: ${visitor}`,
        ]),
      );
    }
    // THEN the fast path answered each and one click is counted
    expect(responses.map(({ status }) => status)).toEqual(Array(10).fill(302));
    expect(responses.every(({ setCookies }) => setCookies.length === 2)).toBe(true);
    expect(await db.prisma.storeReferral.count({ where: { storeId: store.id } })).toBe(1);
  });

  it("counts the connection's peer, whatever the header says, with TRUSTED_PROXY_HOPS=0", async () => {
    await withTrustedProxyHops(0, async () => {
      // GIVEN no proxy in front and an active store
      const store = await createTestStore();
      // WHEN one peer clicks five times with five different headers
      for (let index = 0; index < 5; index++) {
        await rawGet(`/r/${store.referralCode}`, [
          `User-Agent: ${BROWSER_USER_AGENT}`,
          `X-Forwarded-For: ${uniqueClientIp()}`,
        ]);
      }
      // THEN one click is counted
      expect(await db.prisma.storeReferral.count({ where: { storeId: store.id } })).toBe(1);
    });
  });

  it("sends the public security headers with its redirect, once each", async () => {
    // GIVEN an active store
    const store = await createTestStore();
    // WHEN a shopper follows its short link through the fast path
    const response = await throughFastPath({ path: `/r/${store.referralCode}?utm_source=ig` });
    // THEN the redirect is never framed, never sniffed, and its URL never leaves for another site
    expect(response.status).toBe(302);
    expect({
      csp: response.headers.get("content-security-policy"),
      frameOptions: response.headers.get("x-frame-options"),
      contentTypeOptions: response.headers.get("x-content-type-options"),
      referrerPolicy: response.headers.get("referrer-policy"),
    }).toEqual({
      csp: "frame-ancestors 'none'",
      frameOptions: "DENY",
      contentTypeOptions: "nosniff",
      referrerPolicy: "strict-origin-when-cross-origin",
    });
  });
});
