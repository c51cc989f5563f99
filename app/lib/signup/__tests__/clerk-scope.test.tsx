// Clerk is loaded by the pages that show its components only, never by the root: the embedded
// admin (/app/*) must not carry Clerk's state or script. Real documents rendered by Remix's
// request handler with the app's own root, entry and sign-up modules; /app is a stand-in route.
import { createRequestHandler } from "@remix-run/node";
import { afterEach, describe, expect, it } from "vitest";

import * as demoSignUp from "~/demo/routes/sign-up";
import * as root from "~/root";
import * as signUp from "~/routes/sign-up.$";
import { configureClerk, TEST_CLERK_PUBLISHABLE_KEY, unconfigureClerk } from "~/test/fakes/clerk";
import { BROWSER_USER_AGENT } from "~/test/shopper";
import { testServerBuild } from "~/test/server-build";

const embeddedAdminStandIn = {
  loader: () => ({ shop: "chen.myshopify.com" }),
  default: function AdminPage() {
    return <p>Store Referrals admin</p>;
  },
};

const routes = {
  root: { id: "root", path: "", module: root },
  "routes/app": {
    id: "routes/app",
    parentId: "root",
    path: "app",
    module: embeddedAdminStandIn,
  },
  "routes/sign-up.$": {
    id: "routes/sign-up.$",
    parentId: "root",
    path: "sign-up/*",
    module: signUp,
  },
  // Without Clerk keys /sign-up redirects here (the local preview's form, app/demo/routes/).
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

async function renderDocument(path: string) {
  const handler = createRequestHandler(serverBuild(), "production");
  const response = await handler(
    new Request(new URL(path, "https://store-referrals.test"), {
      headers: { "user-agent": BROWSER_USER_AGENT, accept: "text/html" },
    }),
    { clientAddress: "127.0.0.1" },
  );
  return { status: response.status, html: await response.text() };
}

afterEach(() => unconfigureClerk());

describe("where Clerk is loaded", () => {
  it("leaves Clerk's state and script out of an embedded admin document", async () => {
    // GIVEN Clerk is configured
    configureClerk({ apiUrl: "http://127.0.0.1:9" });
    // WHEN the embedded admin's document renders
    const { status, html } = await renderDocument("/app");
    // THEN it carries nothing of Clerk
    expect(status).toBe(200);
    expect(html).toContain("Store Referrals admin");
    expect(html).not.toMatch(/clerk/i);
    expect(html).not.toContain(TEST_CLERK_PUBLISHABLE_KEY);
  });

  it("gives the sign-up document Clerk's state", async () => {
    configureClerk({ apiUrl: "http://127.0.0.1:9" });
    const { status, html } = await renderDocument("/sign-up");
    expect(status).toBe(200);
    expect(html).toContain("__internal_clerk_state");
    expect(html).toContain(TEST_CLERK_PUBLISHABLE_KEY);
  });

  it("renders the demo sign-up, without Clerk, when Clerk is not configured", async () => {
    const { status, html } = await renderDocument("/demo/sign-up");
    expect(status).toBe(200);
    expect(html).toContain("Demo identity for local previews.");
    expect(html).not.toMatch(/clerk_state|pk_live|pk_test/i);
  });
});
