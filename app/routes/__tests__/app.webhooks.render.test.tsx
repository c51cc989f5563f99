// The Webhooks page renders its empty states, an endpoint disabled with its reason, and the
// delivery log (server-side, as Remix does on a document request).
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { renderToString } from "react-dom/server";
import {
  createStaticHandler,
  createStaticRouter,
  StaticRouterProvider,
} from "react-router-dom/server";
import { describe, expect, it } from "vitest";

import WebhooksPage from "~/routes/app.webhooks";

async function render(data: Record<string, unknown>) {
  const routes = [
    {
      id: "routes/app.webhooks",
      path: "/app/webhooks",
      loader: () => ({ endpoints: [], deliveries: [], nextPage: null, firstPage: true, ...data }),
      element: (
        <AppProvider i18n={en}>
          <WebhooksPage />
        </AppProvider>
      ),
    },
  ];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request("https://store-referrals.test/app/webhooks"));
  if (context instanceof Response) throw new Error("unexpected redirect");
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(<StaticRouterProvider router={router} context={context} />);
}

describe("Webhooks page", () => {
  it("says there is nothing yet, with the form to add an endpoint", async () => {
    const html = await render({});
    expect(html).toContain("No endpoints yet");
    expect(html).toContain("No deliveries yet");
    expect(html).toContain("Add endpoint");
    expect(html).toContain("referral.clicked");
  });

  it("shows a disabled endpoint's reason and a delivery's attempts, answer, latency and next retry", async () => {
    const html = await render({
      endpoints: [
        {
          id: "9b2f5a9e-8a53-4f0e-9a7e-3f1f2b6c1d11",
          url: "https://hooks.example.com/referrals",
          events: ["referral.signed_up"],
          previousSecretExpiresAt: null,
          consecutiveFailures: 5,
          disabledAt: "2026-12-01T10:00:00.000Z",
          disabledReason: "5 deliveries in a row failed after every retry (last: HTTP 503).",
          createdAt: "2026-11-30T10:00:00.000Z",
        },
      ],
      deliveries: [
        {
          id: "0c7d3c1e-1b0e-4d4f-9a3c-5e6f7a8b9c0d",
          url: "https://hooks.example.com/referrals",
          type: "referral.signed_up",
          status: "pending",
          attempts: 3,
          lastStatusCode: 503,
          lastLatencyMs: 41,
          lastError: "HTTP 503",
          nextAttemptAt: "2026-12-01T10:05:00.000Z",
          createdAt: "2026-12-01T09:59:00.000Z",
        },
      ],
      nextPage: "WyIyMDI2Il0",
    });
    expect(html).toContain("Disabled");
    expect(html).toContain("5 deliveries in a row failed after every retry (last: HTTP 503).");
    expect(html).toContain("Enable");
    expect(html).toContain("Retrying");
    expect(html).toContain("HTTP 503");
    expect(html).toContain("41 ms");
    // The admin's one date format, in the store's zone (the layout's default here: UTC), said
    expect(html).toContain("Dec 1, 2026, 10:05 AM UTC");
  });
});
