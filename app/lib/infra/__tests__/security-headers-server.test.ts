// fillSecurityHeadersOnWrite: the HTTP server's net for the responses Remix's entry never sees
// (resource routes, loader redirects, the server's own errors, static files).
import { createServer, request as httpRequest, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { fillSecurityHeadersOnWrite } from "~/lib/infra/security-headers.server";

/** How each test's server answers, by path. */
const answers: Record<string, (response: ServerResponse) => void> = {
  "/healthz": (response) => response.end("ok"),
  "/sign-up": (response) => response.writeHead(302, { Location: "/demo/sign-up" }).end(),
  "/app/kit/qr.png": (response) => {
    response.setHeader("Cache-Control", "private, max-age=60");
    response.end();
  },
  "/app": (response) => response.end(),
  "/welcome": (response) => {
    // As Remix's express adapter does: the entry's headers first, each appended.
    response.appendHeader("Content-Security-Policy", "frame-ancestors 'none'");
    response.appendHeader("Referrer-Policy", "no-referrer");
    response.end();
  },
  "/r/raw": (response) =>
    response.writeHead(302, ["Location", "/", "Referrer-Policy", "same-origin"]).end(),
};

let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((request, response) => {
    fillSecurityHeadersOnWrite(request, response);
    const path = (request.url ?? "/").split("?")[0]!;
    (answers[path] ?? ((res: ServerResponse) => res.writeHead(404).end()))(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The response's header lines as received, names lower-cased. */
function get(path: string) {
  return new Promise<{ status: number; lines: Array<[string, string]> }>((resolve, reject) => {
    const outgoing = httpRequest({ port, host: "127.0.0.1", path }, (incoming) => {
      incoming.resume();
      const lines: Array<[string, string]> = [];
      for (let index = 0; index < incoming.rawHeaders.length; index += 2) {
        lines.push([incoming.rawHeaders[index]!.toLowerCase(), incoming.rawHeaders[index + 1]!]);
      }
      incoming.on("end", () => resolve({ status: incoming.statusCode ?? 0, lines }));
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

function valuesOf(lines: Array<[string, string]>, name: string) {
  return lines.filter(([line]) => line === name).map(([, value]) => value);
}

describe("fillSecurityHeadersOnWrite", () => {
  it.each([
    ["a resource route", "/healthz"],
    ["a redirect with headers of its own", "/sign-up"],
    ["the server's own 404", "/missing"],
  ])("gives %s the public headers", async (_, path) => {
    const { lines } = await get(path);
    expect(valuesOf(lines, "content-security-policy")).toEqual(["frame-ancestors 'none'"]);
    expect(valuesOf(lines, "x-frame-options")).toEqual(["DENY"]);
    expect(valuesOf(lines, "x-content-type-options")).toEqual(["nosniff"]);
    expect(valuesOf(lines, "referrer-policy")).toEqual(["strict-origin-when-cross-origin"]);
  });

  it("keeps what the response already carries, once", async () => {
    // GIVEN a response whose headers the entry already set (appended, as the express adapter does)
    const { lines } = await get("/welcome");
    // THEN each header is sent once, with the entry's value
    expect(valuesOf(lines, "content-security-policy")).toEqual(["frame-ancestors 'none'"]);
    expect(valuesOf(lines, "referrer-policy")).toEqual(["no-referrer"]);
    expect(valuesOf(lines, "x-content-type-options")).toEqual(["nosniff"]);
  });

  it("lets headers given to writeHead as a raw array win, once", async () => {
    const { status, lines } = await get("/r/raw");
    expect(status).toBe(302);
    expect(valuesOf(lines, "referrer-policy")).toEqual(["same-origin"]);
    expect(valuesOf(lines, "x-content-type-options")).toEqual(["nosniff"]);
  });

  it("leaves framing alone in the embedded admin and keeps a route's own Cache-Control", async () => {
    const admin = await get("/app?embedded=1");
    expect(valuesOf(admin.lines, "x-frame-options")).toEqual([]);
    expect(valuesOf(admin.lines, "content-security-policy")).toEqual([]);
    expect(valuesOf(admin.lines, "x-content-type-options")).toEqual(["nosniff"]);
    const download = await get("/app/kit/qr.png");
    expect(valuesOf(download.lines, "cache-control")).toEqual(["private, max-age=60"]);
  });

  it("marks an admin data response private and never stored when it says nothing", async () => {
    const { lines } = await get("/app?_data=routes%2Fapp");
    expect(valuesOf(lines, "cache-control")).toEqual(["private, no-store"]);
  });
});
