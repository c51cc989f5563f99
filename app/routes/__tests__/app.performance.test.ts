// The Performance page and its CSV: the breakdown of the session's store for the range and the
// dimension the URL names, the same figures as the model's, and a clear 400 (the page still
// rendered, or the one error shape for the CSV) for every range or dimension that is not one:
// never a 500, never another shop's figures.
import fc from "fast-check";
import { afterAll, describe, expect, it, vi } from "vitest";

import { localDay } from "~/lib/infra/time-zone";
import { recordReferralClick } from "~/models/referral-clicks.server";
import { getBreakdown } from "~/models/store-performance.server";
import { NONE_VALUE, presetRange } from "~/models/performance";
import { loader as csvLoader } from "~/routes/app.performance[.]csv";
import { loader } from "~/routes/app.performance";
import { loader as homeLoader } from "~/routes/app._index";
import { recordReferralActivity, uniqueVisitor } from "~/test/builders";
import { callRoute, createInstalledTestStore, loadData, type RouteFunction } from "~/test/routes";
import { adminRequest } from "~/test/shopify";

const shopifyAdmin = await vi.hoisted(async () => {
  const { interceptShopifyAdmin } = await import("~/test/fakes/shopify-admin");
  return interceptShopifyAdmin();
});
afterAll(() => shopifyAdmin.close());

/** A store with clicks tagged by campaign: 3 "spring", 1 "=HYPERLINK(…)", 2 untagged. */
async function storeWithCampaigns() {
  const store = await createInstalledTestStore();
  const campaigns = ["spring", "spring", "spring", '=HYPERLINK("x")', null, null];
  for (const campaign of campaigns) {
    await recordReferralClick({
      referralCode: store.referralCode,
      visitorHash: uniqueVisitor(),
      utmParams: campaign ? { utm_source: "instagram", utm_campaign: campaign } : null,
    });
  }
  return store;
}

describe("performance loader", () => {
  it("returns the model's breakdown of the store's own clicks for the URL's dimension and range", async () => {
    // GIVEN a store with clicks in two campaigns and untagged ones
    const store = await storeWithCampaigns();
    // WHEN its admin opens the page by campaign over 7 days
    const data = await loadData(
      loader,
      await adminRequest("/app/performance?dimension=utm_campaign&range=7d", {
        shopDomain: store.shopDomain,
      }),
    );
    // THEN it is the model's breakdown for the store's last 7 local days, unchanged
    const range = presetRange("7d", localDay(new Date(), store.timeZone), store.timeZone);
    const expected = await getBreakdown({
      storeId: store.id,
      dimension: "utm_campaign",
      range,
      limit: 50,
    });
    expect(data.breakdown).toEqual({
      ...expected,
      rows: expected.rows.map((row) => ({ ...row, label: expect.any(String) })),
    });
    // (each value labelled for the page: the untagged clicks are "Not set")
    expect(data.breakdown?.rows.find((row) => row.value === NONE_VALUE)?.label).toBe("Not set");
    expect(data.dimension).toBe("utm_campaign");
    expect(data.preset).toBe("7d");
    const spring = data.breakdown?.rows.find((row) => row.value === "spring");
    expect(spring?.current.clicks).toBe(3);
    expect(data.breakdown?.totals.current.clicks).toBe(6);
    expect(data.exportUrl).toBe("/app/performance.csv?range=7d&dimension=utm_campaign");
  });

  it("says there are no clicks yet to a store without any (the empty state), without a breakdown", async () => {
    const store = await createInstalledTestStore();
    const data = await loadData(
      loader,
      await adminRequest("/app/performance", { shopDomain: store.shopDomain }),
    );
    expect(data.hasClicks).toBe(false);
    expect(data.breakdown).toBeNull();
    expect(data.dimension).toBe("channel");
  });

  it("keeps a custom range of the URL as it was asked", async () => {
    const store = await storeWithCampaigns();
    const data = await loadData(
      loader,
      await adminRequest("/app/performance?range=custom&from=2026-01-01&to=2026-01-31", {
        shopDomain: store.shopDomain,
      }),
    );
    expect(data.preset).toBe("custom");
    expect(data.range).toMatchObject({ from: "2026-01-01", to: "2026-01-31" });
    expect(data.breakdown?.previousRange).toMatchObject({ from: "2025-12-01", to: "2025-12-31" });
  });

  it.each([
    ["an unknown preset", "range=12d"],
    ["from after to", "range=custom&from=2026-03-02&to=2026-03-01"],
    ["a day that does not exist", "range=custom&from=2026-02-30&to=2026-03-01"],
    ["year 99999", "range=custom&from=99999-01-01&to=99999-01-02"],
    ["a range of ten years", "range=custom&from=2016-01-01&to=2026-01-01"],
    ["a NUL character", "range=custom&from=2026-01-01%00&to=2026-01-02"],
    ["a lone surrogate (as URL decoding leaves it)", "range=%ED%A0%80"],
    ["a custom range without its days", "range=custom"],
    ["an unknown dimension", "dimension=utm_content"],
    ["a dimension with a NUL character", "dimension=channel%00"],
  ])("answers 400 and renders the page's error for %s, never a 500", async (_label, search) => {
    // GIVEN a store with clicks
    const store = await storeWithCampaigns();
    // WHEN the page is asked for a selection that is not one
    const response = await callRoute(
      loader,
      await adminRequest(`/app/performance?${search}`, { shopDomain: store.shopDomain }),
    );
    // THEN it is a 400 whose data names the problem (the page shows it inline), no breakdown
    expect(response).toBeInstanceOf(Response);
    const answer = response as Response;
    expect(answer.status).toBe(400);
    const body = await answer.json();
    expect(body.breakdown).toBeNull();
    expect(body.errors.range ?? body.errors.dimension).toEqual(expect.any(String));
  });

  it("shows shop A its own figures only, whatever the request names", async () => {
    // GIVEN two stores, B with clicks
    const storeA = await createInstalledTestStore();
    await recordReferralActivity({ referralCode: storeA.referralCode, clicks: 1 });
    const storeB = await storeWithCampaigns();
    // WHEN shop A's session asks for the page naming B
    const data = await loadData(
      loader,
      await adminRequest(
        `/app/performance?shop=${storeB.shopDomain}&storeId=${storeB.id}&dimension=utm_campaign`,
        { shopDomain: storeA.shopDomain },
      ),
    );
    // THEN it gets A's single click, none of B's campaigns
    expect(data.breakdown?.totals.current.clicks).toBe(1);
    expect(data.breakdown?.rows.map((row) => row.value)).not.toContain("spring");
  });
});

describe("performance CSV", () => {
  it("exports the table's rows, the range and its zone, formula-safe", async () => {
    // GIVEN a store whose campaigns include a spreadsheet formula
    const store = await storeWithCampaigns();
    // WHEN its admin exports the campaign breakdown
    const response = await callRoute(
      csvLoader,
      await adminRequest("/app/performance.csv?dimension=utm_campaign&range=30d", {
        shopDomain: store.shopDomain,
      }),
    );
    // THEN it is a CSV download of every row, the formula neutralized
    expect(response).toBeInstanceOf(Response);
    const csv = response as Response;
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toMatch(/attachment; filename=".+\.csv"/);
    const [header, ...lines] = (await csv.text()).trim().split("\n");
    expect(header).toBe(
      "dimension,value,clicks,signups,activations,conversion_rate,previous_clicks," +
        "previous_signups,previous_activations,previous_conversion_rate,from,to," +
        "previous_from,previous_to,time_zone",
    );
    const range = presetRange("30d", localDay(new Date(), store.timeZone), store.timeZone);
    const breakdown = await getBreakdown({
      storeId: store.id,
      dimension: "utm_campaign",
      range,
      limit: 50,
    });
    expect(lines).toHaveLength(breakdown.rows.length);
    expect(lines).toContain(
      `utm_campaign,spring,3,0,0,0.00,0,0,0,0.00,${range.from},${range.to},` +
        `${breakdown.previousRange.from},${breakdown.previousRange.to},${store.timeZone}`,
    );
    const formula = lines.find((line) => /hyperlink/i.test(line));
    expect(formula).toMatch(/^utm_campaign,"'=hyperlink\(""x""\)",1,/i);
  });

  it.each([
    ["an unknown preset", "range=forever"],
    ["from after to", "range=custom&from=2026-03-02&to=2026-03-01"],
    ["an unknown dimension", "dimension=%00"],
  ])("answers 400 in the app's error shape for %s", async (_label, search) => {
    const store = await storeWithCampaigns();
    const response = await callRoute(
      csvLoader,
      await adminRequest(`/app/performance.csv?${search}`, { shopDomain: store.shopDomain }),
    );
    expect(response).toBeInstanceOf(Response);
    expect((response as Response).status).toBe(400);
    expect(await (response as Response).json()).toHaveProperty("error.code");
  });
});

describe("hostile selections on every analytics page", () => {
  const hostileText = fc.oneof(
    fc.constantFrom(
      "\u0000",
      "7d\u0000",
      "\ud800",
      "x\udfffy",
      "0000-01-01",
      "1969-12-31",
      "2026-02-30",
      "9999-12-31",
      "99999-01-01",
      "275760-09-14",
      "-000001-01-01",
      "2026-1-1",
      " 2026-01-01",
      "custom",
      "mtd",
      "365d",
      "referrer",
      "(other)",
    ),
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.date({ noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
  );

  it("answers 200 or 400 to any range, days, dimension and value, never a 500", async () => {
    // GIVEN a store with clicks
    const store = await storeWithCampaigns();
    const routes: Array<[string, RouteFunction<unknown>]> = [
      ["/app", homeLoader],
      ["/app/performance", loader],
      ["/app/performance.csv", csvLoader],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.record(
          {
            range: hostileText,
            from: hostileText,
            to: hostileText,
            dimension: hostileText,
            value: hostileText,
          },
          { requiredKeys: [] },
        ),
        async ([path, route], query) => {
          // WHEN a page is asked for it
          const search = new URLSearchParams(query as Record<string, string>).toString();
          const outcome = await callRoute(
            route,
            await adminRequest(`${path}?${search}`, { shopDomain: store.shopDomain }),
          );
          // THEN it is the page (or the CSV), or a clear 400
          const status = outcome instanceof Response ? outcome.status : 200;
          expect([200, 400]).toContain(status);
          if (outcome instanceof Response) await outcome.body?.cancel();
        },
      ),
      { numRuns: 150 },
    );
  });
});
