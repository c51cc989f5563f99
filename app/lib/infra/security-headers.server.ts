// The security headers of every response, decided here only (issue 16, class 4). Applied by
// app/entry.server.tsx to documents (handleRequest) and `_data` responses (handleDataRequest), by
// the admin's download routes, by the /r/:code fast path (app/server/runtime.server.ts), and by
// the HTTP server to the rest (fillSecurityHeadersOnWrite: resource routes, redirects answered by
// a loader, the server's own errors and static files, none of which pass Remix's entry).
//
// - Framing: nothing outside the embedded admin may be framed (clickjacking of the sign-up, the
//   landing page, the demo). The embedded admin keeps the frame-ancestors Shopify's
//   addDocumentResponseHeaders gives it (the shop's admin), or the local preview's 'self', and
//   gets no X-Frame-Options: DENY would forbid the admin's own frame, and the header has no
//   value that names Shopify's origins.
// - Referrer-Policy strict-origin-when-cross-origin: another site learns our origin at most,
//   never a path or query (the referral code and UTM values of /?ref=…, the id_token and shop of
//   an admin URL); same-origin requests keep the full referrer. Browsers default to it today;
//   sent so that older ones and embedded webviews do not fall back to sending the whole URL.
// - nosniff: a response is read as the type it says, never sniffed into script or HTML.
// - Admin data (`_data` under /app, the CSV and QR downloads) is a store's own: never kept by a
//   shared cache or the browser's.

import type { IncomingMessage, ServerResponse } from "node:http";

export const REFERRER_POLICY = "strict-origin-when-cross-origin";
export const ADMIN_DATA_CACHE_CONTROL = "private, no-store";

export interface SecurityHeadersTarget {
  pathname: string;
  /** A data response (a `_data` request or an admin download), not a document. */
  data: boolean;
}

/**
 * Paths Shopify's admin frames: the embedded app (/app and below) and the two pages of Shopify's
 * auth flow rendered inside that frame (the session-token bounce page and exit-iframe, to which
 * Shopify's library gives the shop admin's frame-ancestors itself).
 */
export function isEmbeddedAdminPath(pathname: string): boolean {
  return (
    pathname === "/app" ||
    pathname.startsWith("/app/") ||
    pathname === "/auth/session-token" ||
    pathname === "/auth/exit-iframe"
  );
}

type HeaderPairs = ReadonlyArray<readonly [string, string]>;

const EVERY_RESPONSE: HeaderPairs = [
  ["X-Content-Type-Options", "nosniff"],
  ["Referrer-Policy", REFERRER_POLICY],
];
const PUBLIC: HeaderPairs = [
  ["Content-Security-Policy", "frame-ancestors 'none'"],
  ["X-Frame-Options", "DENY"],
  ...EVERY_RESPONSE,
];
const ADMIN_DATA: HeaderPairs = [...EVERY_RESPONSE, ["Cache-Control", ADMIN_DATA_CACHE_CONTROL]];

/** The rule: the headers a response to `target` carries. */
function securityHeadersFor({ pathname, data }: SecurityHeadersTarget): HeaderPairs {
  if (!isEmbeddedAdminPath(pathname)) return PUBLIC;
  return data ? ADMIN_DATA : EVERY_RESPONSE;
}

/**
 * The headers of a response outside the embedded admin, flattened as node:http's writeHead takes
 * them (computed once: the /r/:code fast path appends them to every redirect).
 */
export const PUBLIC_RESPONSE_HEADERS: readonly string[] = PUBLIC.flat();

/**
 * Sets the security headers of a response to `target` on `headers` (set, not appended: a value
 * Shopify or a route gave is replaced, never doubled). Inside the embedded admin the framing
 * headers are left as they are. Outside it, a CSP set before (Shopify's for a URL naming a shop,
 * the preview's 'self') only ever held frame-ancestors: replacing it loses nothing.
 */
export function applySecurityHeaders(headers: Headers, target: SecurityHeadersTarget) {
  for (const [name, value] of securityHeadersFor(target)) headers.set(name, value);
}

/**
 * `response` with its security headers. Headers of some responses cannot be changed (a
 * `Response.redirect()`, a fetched response): those are copied into a new response first.
 */
export function withSecurityHeaders(response: Response, target: SecurityHeadersTarget): Response {
  try {
    applySecurityHeaders(response.headers, target);
    return response;
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const copy = new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers: new Headers(response.headers),
    });
    applySecurityHeaders(copy.headers, target);
    return copy;
  }
}

/** The target of a request as node:http received it. */
function targetOf(url: string | undefined): SecurityHeadersTarget {
  const raw = url ?? "/";
  const queryStart = raw.indexOf("?");
  const pathname = queryStart === -1 ? raw : raw.slice(0, queryStart);
  const data = queryStart !== -1 && new URLSearchParams(raw.slice(queryStart + 1)).has("_data");
  return { pathname, data };
}

/**
 * Fills in, just before `response`'s head is written, each header of the rule it does not carry
 * yet: a value Remix's entry, a route or the fast path set stays as it is (never doubled, as
 * appending would). For the HTTP server to call on every request it hands to express.
 * It also names the allowed methods of a 405 that does not: Remix answers 405 to any method
 * but GET and HEAD on a route without an action (ours name theirs: the API, the sign pages).
 */
export function fillSecurityHeadersOnWrite(request: IncomingMessage, response: ServerResponse) {
  const writeHead = response.writeHead;
  response.writeHead = function writeHeadWithSecurityHeaders(
    this: ServerResponse,
    ...args: Parameters<ServerResponse["writeHead"]>
  ) {
    for (const [name, value] of securityHeadersFor(targetOf(request.url))) {
      if (!this.hasHeader(name)) this.setHeader(name, value);
    }
    const status = typeof args[0] === "number" ? args[0] : this.statusCode;
    if (status === 405 && !this.hasHeader("allow") && !rawHeadersName(args, "allow")) {
      this.setHeader("allow", "GET, HEAD");
    }
    return writeHead.apply(this, args);
  } as ServerResponse["writeHead"];
}

/** Whether writeHead's own headers argument (object or flat array) names `name`. */
function rawHeadersName(args: Parameters<ServerResponse["writeHead"]>, name: string): boolean {
  const headers = args.find((arg) => typeof arg === "object" && arg !== null);
  if (!headers) return false;
  if (Array.isArray(headers)) {
    return headers.some((entry, index) => index % 2 === 0 && String(entry).toLowerCase() === name);
  }
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}
