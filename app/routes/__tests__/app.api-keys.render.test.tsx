// The API keys page renders its list (server-side, as Remix does on a document request).
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { renderToString } from "react-dom/server";
import {
  createStaticHandler,
  createStaticRouter,
  StaticRouterProvider,
} from "react-router-dom/server";
import { describe, expect, it } from "vitest";

import ApiKeysPage from "~/routes/app.api-keys";

const ROUTE_ID = "routes/app.api-keys";

async function render(apiKeys: unknown[]) {
  const routes = [
    {
      id: ROUTE_ID,
      path: "/app/api-keys",
      loader: () => ({ apiKeys }),
      element: (
        <AppProvider i18n={en}>
          <ApiKeysPage />
        </AppProvider>
      ),
    },
  ];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request("https://store-referrals.test/app/api-keys"));
  if (context instanceof Response) throw new Error("unexpected redirect");
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(<StaticRouterProvider router={router} context={context} />);
}

describe("API keys page", () => {
  it("lists keys by name and prefix, with scopes, dates and status", async () => {
    const html = await render([
      {
        id: "9b2f5a9e-8a53-4f0e-9a7e-3f1f2b6c1d11",
        name: "Warehouse dashboard",
        prefix: "sr_live_Xk3f",
        scopes: ["read", "write"],
        createdAt: "2026-11-20T09:15:00.000Z",
        lastUsedAt: null,
        revokedAt: null,
      },
      {
        id: "0c7d3c1e-1b0e-4d4f-9a3c-5e6f7a8b9c0d",
        name: "Old export",
        prefix: "sr_live_Ab12",
        scopes: ["read"],
        createdAt: "2026-10-01T08:00:00.000Z",
        lastUsedAt: "2026-10-02T10:30:00.000Z",
        revokedAt: "2026-11-01T12:00:00.000Z",
      },
    ]);
    expect(html).toContain("Warehouse dashboard");
    expect(html).toContain("sr_live_Xk3f…");
    expect(html).toContain("Nov 20, 2026, 9:15 AM UTC");
    expect(html).toContain("Never");
    expect(html).toContain("Revoked Nov 1, 2026, 12:00 PM UTC");
    expect(html).toContain("Create key");
  });

  it("shows an empty state without keys", async () => {
    expect(await render([])).toContain("No API keys yet");
  });
});
