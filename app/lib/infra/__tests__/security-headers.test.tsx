// The security headers as a browser receives them: real documents and data requests rendered by
// Remix's request handler with the app's own entry, root and public pages; /app is a stand-in
// route (its real loader authenticates with Shopify), so Shopify's document headers are the
// entry's own call of addDocumentResponseHeaders.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { createRequestHandler as createExpressHandler } from "@remix-run/express";
import { createRequestHandler } from "@remix-run/node";
import express from "express";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import * as demoSignUp from "~/demo/routes/sign-up";
import { fillSecurityHeadersOnWrite } from "~/lib/infra/security-headers.server";
import * as root from "~/root";
import * as landing from "~/routes/_index";
import * as signUp from "~/routes/sign-up.$";
import * as welcome from "~/routes/welcome";
import { createLoadContext } from "~/server/load-context";
import { configureClerk, unconfigureClerk } from "~/test/fakes/clerk";
import { BROWSER_USER_AGENT } from "~/test/shopper";
import { testServerBuild } from "~/test/server-build";

const SHOP = "chen.myshopify.com";

const embeddedAdminStandIn = {
  loader: () => ({ shop: SHOP }),
  default: function AdminPage() {
    return <p>Store Referrals admin</p>;
  },
};

/** A resource route (no component), like /healthz or the admin's downloads. */
const resourceStandIn = { loader: () => Response.json({ status: "ok" }) };

const routes = {
  root: { id: "root", path: "", module: root },
  "routes/status": {
    id: "routes/status",
    parentId: "root",
    path: "status",
    module: resourceStandIn,
  },
  "routes/_index": { id: "routes/_index", parentId: "root", index: true, module: landing },
  "routes/welcome": { id: "routes/welcome", parentId: "root", path: "welcome", module: welcome },
  "routes/app": { id: "routes/app", parentId: "root", path: "app", module: embeddedAdminStandIn },
  "routes/sign-up.$": {
    id: "routes/sign-up.$",
    parentId: "root",
    path: "sign-up/*",
    module: signUp,
  },
  "demo/routes/sign-up": {
    id: "demo/routes/sign-up",
    parentId: "root",
    path: "demo/sign-up",
    module: demoSignUp,
  },
};

function serverBuild() {
  return testServerBuild(routes);
}

async function get(path: string, { cookie }: { cookie?: string } = {}) {
  const handler = createRequestHandler(serverBuild(), "production");
  const headers: Record<string, string> = { "user-agent": BROWSER_USER_AGENT, accept: "text/html" };
  if (cookie) headers.cookie = cookie;
  const response = await handler(
    new Request(new URL(path, "https://store-referrals.test"), { headers }),
    { clientAddress: "127.0.0.1" },
  );
  await response.arrayBuffer();
  return response;
}

/** The security headers of a response, each as the one value it carries (null when absent). */
function securityHeadersOf(response: Response) {
  return {
    csp: response.headers.get("content-security-policy"),
    frameOptions: response.headers.get("x-frame-options"),
    contentTypeOptions: response.headers.get("x-content-type-options"),
    referrerPolicy: response.headers.get("referrer-policy"),
  };
}

const NEVER_FRAMED = {
  csp: "frame-ancestors 'none'",
  frameOptions: "DENY",
  contentTypeOptions: "nosniff",
  referrerPolicy: "strict-origin-when-cross-origin",
};

afterEach(() => unconfigureClerk());

describe("security headers", () => {
  it.each([
    ["the landing page", "/"],
    ["the landing page of a referral link", "/?ref=store-chen-a1b2&utm_source=ig"],
    ["the welcome page", "/welcome"],
    ["the demo's sign-up form", "/demo/sign-up"],
  ])("forbids framing %s and sends nosniff and the referrer policy", async (_, path) => {
    // WHEN a browser loads a public page
    const response = await get(path);
    // THEN no site may frame it, and its URL never leaves for another site
    expect(response.status).toBe(200);
    expect(securityHeadersOf(response)).toEqual(NEVER_FRAMED);
  });

  it("forbids framing the sign-up page rendered with Clerk", async () => {
    // GIVEN Clerk is configured (without it /sign-up redirects to the demo's form)
    configureClerk({ apiUrl: "http://127.0.0.1:9" });
    // WHEN a browser loads /sign-up
    const response = await get("/sign-up");
    // THEN it is never framed
    expect(response.status).toBe(200);
    expect(securityHeadersOf(response)).toEqual(NEVER_FRAMED);
  });

  it("replaces Shopify's frame-ancestors on a public page whose URL names a shop", async () => {
    // GIVEN Shopify's document headers let the shop's admin frame any URL with ?shop=
    // WHEN the welcome page is loaded with one
    const response = await get(`/welcome?shop=${SHOP}`);
    // THEN the page still may not be framed, by one policy only
    expect(securityHeadersOf(response)).toEqual(NEVER_FRAMED);
  });

  it("leaves the embedded admin's frame-ancestors to Shopify and sends no X-Frame-Options", async () => {
    // WHEN Shopify's admin frames an /app document
    const response = await get(`/app?embedded=1&shop=${SHOP}`);
    // THEN the shop's admin may frame it (Shopify's policy), DENY would have forbidden it
    expect(response.status).toBe(200);
    expect(securityHeadersOf(response)).toEqual({
      csp: `frame-ancestors https://${SHOP} https://admin.shopify.com https://*.spin.dev https://admin.myshopify.io https://admin.shop.dev;`,
      frameOptions: null,
      contentTypeOptions: "nosniff",
      referrerPolicy: "strict-origin-when-cross-origin",
    });
  });

  it("keeps the local preview's frame rule for the admin documents it frames", async () => {
    // GIVEN the local preview (demo admin) frames /app from this origin (its cookie says so)
    // WHEN the framed document loads
    const response = await get(`/app?embedded=1&shop=${SHOP}`, {
      cookie: "store_referrals_admin_preview=1",
    });
    // THEN this origin may frame it
    expect(response.headers.get("content-security-policy")).toMatch(/^frame-ancestors 'self'/);
    expect(response.headers.get("x-frame-options")).toBeNull();
  });

  it("marks the embedded admin's data responses private and never stored", async () => {
    // WHEN the admin's page fetches its loader data
    const response = await get(`/app?_data=routes/app&shop=${SHOP}`);
    // THEN no cache keeps the store's data, and the headers of every response are there
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(securityHeadersOf(response)).toMatchObject({
      frameOptions: null,
      contentTypeOptions: "nosniff",
      referrerPolicy: "strict-origin-when-cross-origin",
    });
  });

  it("sends the public headers on a public page's data response, leaving its caching alone", async () => {
    const response = await get("/?_data=routes/_index");
    expect(response.status).toBe(200);
    expect(securityHeadersOf(response)).toEqual(NEVER_FRAMED);
    expect(response.headers.get("cache-control")).not.toBe("private, no-store");
  });
});

describe("security headers through the HTTP server (express, as app/server/main.ts serves Remix)", () => {
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    const app = express();
    app.all(
      "*",
      createExpressHandler({
        build: serverBuild(),
        mode: "production",
        getLoadContext: createLoadContext,
      }),
    );
    server = createServer((request, response) => {
      fillSecurityHeadersOnWrite(request, response);
      app(request, response);
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

  /** The headers as received (fetch joins a doubled header's lines: "nosniff, nosniff"). */
  async function headerLines(path: string) {
    const response = await fetch(`${baseUrl}${path}`, {
      headers: { "user-agent": BROWSER_USER_AGENT, accept: "text/html" },
      redirect: "manual",
    });
    await response.arrayBuffer();
    return { status: response.status, ...securityHeadersOf(response) };
  }

  it.each([
    ["a document", "/welcome", 200],
    ["a loader's redirect, which never reaches the entry", "/sign-up", 302],
    ["a resource route", "/status", 200],
  ])("sends the public headers once on %s", async (_, path, status) => {
    expect(await headerLines(path)).toEqual({ status, ...NEVER_FRAMED });
  });

  it("keeps Shopify's frame-ancestors on an /app document and marks its data private", async () => {
    const document = await headerLines(`/app?embedded=1&shop=${SHOP}`);
    expect(document.frameOptions).toBeNull();
    expect(document.csp).toContain(`https://${SHOP}`);
    const response = await fetch(`${baseUrl}/app?_data=routes%2Fapp&shop=${SHOP}`);
    await response.arrayBuffer();
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });
});
