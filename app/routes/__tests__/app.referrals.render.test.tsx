// The referral events page shows a flagged sign-up's plain-language category and review state
// (server-side render, as Remix does on a document request), never a rule or a threshold; the
// home's stat cards show the qualified sign-ups and how many are under review.
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { renderToString } from "react-dom/server";
import {
  createStaticHandler,
  createStaticRouter,
  StaticRouterProvider,
} from "react-router-dom/server";
import { describe, expect, it } from "vitest";

import { StatCards } from "~/components/StatCards";
import ReferralEvents from "~/routes/app.referrals";

async function renderEvents(events: unknown[]) {
  const routes = [
    {
      id: "routes/app.referrals",
      path: "/app/referrals",
      loader: () => ({
        events,
        nextCursor: null,
        previousCursor: null,
        total: events.length,
        offset: 0,
        filters: "",
        values: { status: "", channel: "", flag: "", from: "", to: "" },
        fieldErrors: {},
        exportUrl: "/app/referrals.csv",
        exportFilename: "x.csv",
        error: null,
      }),
      element: (
        <AppProvider i18n={en}>
          <ReferralEvents />
        </AppProvider>
      ),
    },
  ];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request("https://store-referrals.test/app/referrals"));
  if (context instanceof Response) throw new Error("unexpected redirect");
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(<StaticRouterProvider router={router} context={context} />);
}

function event(overrides: Record<string, unknown>) {
  return {
    id: crypto.randomUUID(),
    status: "signed_up",
    channel: "link",
    referralCode: "store-chen-wellnes-1a2b",
    utmParams: null,
    sourceUrl: null,
    createdAt: "2026-11-30T10:00:00.000Z",
    signedUpAt: "2026-11-30T10:05:00.000Z",
    activatedAt: null,
    referredUser: "user-3f9a1c2e7b",
    flagCategories: [],
    review: null,
    adClickIds: [],
    ...overrides,
  };
}

describe("referral events page: the quality column", () => {
  it("names the category and the review state in plain language, and a paid-ad click", async () => {
    const html = await renderEvents([
      event({ flagCategories: ["self_referral"], review: "flagged" }),
      event({ flagCategories: ["disposable_email", "signup_burst"], review: "rejected" }),
      event({ flagCategories: ["repeat_visitor"], review: "approved", adClickIds: ["gclid"] }),
    ]);
    expect(html).toContain("Possible self-referral · Under review");
    expect(html).toContain("Throwaway e-mail, Unusual burst of sign-ups · Not counted");
    expect(html).toContain("Many sign-ups from one device · Approved");
    expect(html).toContain("From a paid ad");
    expect(html).toContain("Sign-up quality");
    // Never a rule or a threshold
    expect(html).not.toMatch(/per hour|within|minutes|\d+ sign-ups/);
  });
});

describe("home stat cards", () => {
  const summary = {
    current: { clicks: 40, signups: 10, activations: 2, conversionRate: 25 },
    previous: { clicks: 50, signups: 5, activations: 2, conversionRate: 10 },
  };
  const quality = { flaggedSignups: 3, qualifiedSignups: 6 };
  const render = (props: Parameters<typeof StatCards>[0]) =>
    renderToString(
      <AppProvider i18n={en}>
        <StatCards {...props} />
      </AppProvider>,
    );

  it("shows the qualified sign-ups and how many are under review", () => {
    const html = render({ summary, quality });
    expect(html).toContain("Qualified sign-ups");
    expect(html).toContain("3 under review by Syntropy Health");
  });

  it("says nothing of a review when nothing is flagged", () => {
    const html = render({ summary, quality: { flaggedSignups: 0, qualifiedSignups: 9 } });
    expect(html).not.toContain("under review");
  });

  it("says each figure's change against the previous period, in words as well as colour", () => {
    const html = render({ summary, quality });
    // 40 clicks after 50: −20%; 10 sign-ups after 5: +100%; 25% after 10%: +15 points
    expect(html).toContain("down 20% from 50");
    expect(html).toContain("up 100% from 5");
    expect(html).toContain("up 15 percentage points from 10%");
    expect(html).toContain("same as before (2)");
    expect(html.match(/vs previous period/g)).toHaveLength(4);
  });
});
