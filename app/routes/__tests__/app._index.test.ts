// Home (the seeds' Referrals tab): figures, link, referred users and the copy action.
import { afterAll, describe, expect, it, vi } from "vitest";

import { shutdownAnalytics } from "~/lib/analytics/posthog.server";
import { anonymizeUserId } from "~/lib/infra/keyed-hash.server";
import { localDay } from "~/lib/infra/time-zone";
import { presetRange } from "~/models/performance";
import { getDailySeries, getRangeSummary } from "~/models/store-performance.server";
import { setStoreTimeZone } from "~/models/store.server";
import { loader as layoutLoader } from "~/routes/app";
import { loader as performanceLoader } from "~/routes/app.performance";
import { action, loader } from "~/routes/app._index";
import { recordReferralActivity } from "~/test/builders";
import { withPostHog } from "~/test/analytics";
import { callRoute, createInstalledTestStore, loadData } from "~/test/routes";
import { adminFormRequest, adminRequest } from "~/test/shopify";
import { countedChunkedBody, NOT_A_FORM, postToAdminAction, withStreamedBody } from "~/test/bodies";

const shopifyAdmin = await vi.hoisted(async () => {
  const { interceptShopifyAdmin } = await import("~/test/fakes/shopify-admin");
  return interceptShopifyAdmin();
});
afterAll(() => shopifyAdmin.close());

describe("home loader", () => {
  it("returns the model's figures for the store's last 30 local days and the previous 30", async () => {
    // GIVEN a store with 5 clicks, 3 sign-ups and 1 active user
    const store = await createInstalledTestStore();
    await recordReferralActivity({
      referralCode: store.referralCode,
      clicks: 5,
      signups: 3,
      activations: 1,
    });
    // WHEN its admin opens the home page
    const data = await loadData(
      loader,
      await adminRequest("/app", { shopDomain: store.shopDomain }),
    );
    // THEN the figures are the model's for the default range, unchanged
    const range = presetRange("30d", localDay(new Date(), store.timeZone), store.timeZone);
    expect(data.preset).toBe("30d");
    expect(data.range).toEqual(range);
    expect(data.summary).toEqual(await getRangeSummary({ storeId: store.id, range }));
    expect(data.summary?.current).toMatchObject({
      clicks: 5,
      signups: 3,
      activations: 1,
      conversionRate: 60,
    });
    expect(data.summary?.previous.clicks).toBe(0);
    expect(data.daily).toEqual(await getDailySeries({ storeId: store.id, range }));
    expect(data.daily).toHaveLength(30);
    expect(data.quality).toEqual({ qualifiedSignups: 3, flaggedSignups: 0 });
  });

  it.each([
    ["7d", 7],
    ["90d", 90],
    ["365d", 365],
  ])("gives the store's link and the series of the %s preset", async (preset, length) => {
    const store = await createInstalledTestStore();
    const data = await loadData(
      loader,
      await adminRequest(`/app?range=${preset}`, { shopDomain: store.shopDomain }),
    );
    expect(data.referralLink).toBe(`https://store-referrals.test/?ref=${store.referralCode}`);
    expect(data.preset).toBe(preset);
    expect(data.daily).toHaveLength(length);
  });

  it("gives month to date and a custom range as the URL asks", async () => {
    const store = await createInstalledTestStore();
    const today = localDay(new Date(), store.timeZone);
    const mtd = await loadData(
      loader,
      await adminRequest("/app?range=mtd", { shopDomain: store.shopDomain }),
    );
    expect(mtd.range).toMatchObject({ from: `${today.slice(0, 8)}01`, to: today });
    const custom = await loadData(
      loader,
      await adminRequest("/app?range=custom&from=2026-02-01&to=2026-02-28", {
        shopDomain: store.shopDomain,
      }),
    );
    expect(custom.preset).toBe("custom");
    expect(custom.daily.map((point) => point.day)).toHaveLength(28);
    expect(custom.summary?.previousRange).toMatchObject({ from: "2026-01-04", to: "2026-01-31" });
  });

  it("lists the latest referred users anonymized, never their ids", async () => {
    const store = await createInstalledTestStore();
    const { userIds } = await recordReferralActivity({
      referralCode: store.referralCode,
      clicks: 2,
      signups: 2,
    });
    const data = await loadData(
      loader,
      await adminRequest("/app", { shopDomain: store.shopDomain }),
    );
    expect(data.referredUsers.map((user) => user.referredUser).sort()).toEqual(
      userIds.map(anonymizeUserId).sort(),
    );
    const serialized = JSON.stringify(data);
    for (const userId of userIds) expect(serialized).not.toContain(userId);
  });

  it.each([
    ["an unknown preset", "range=12d"],
    ["from after to", "range=custom&from=2026-03-02&to=2026-03-01"],
    ["a day that does not exist", "range=custom&from=2026-02-29&to=2026-03-01"],
    ["year 99999", "range=custom&from=2026-01-01&to=99999-01-01"],
    ["a range past three years", "range=custom&from=2020-01-01&to=2026-01-01"],
    ["a date before the supported days", "range=custom&from=0001-01-01&to=0001-01-02"],
    ["a NUL character", "range=7d%00"],
    ["a lone surrogate (as URL decoding leaves it)", "range=custom&from=%ED%A0%80&to=2026-01-01"],
    ["a custom range without its days", "range=custom&from=2026-01-01"],
  ])(
    "answers 400 with the range's error to show on the page for %s, never a 500",
    async (_label, search) => {
      // GIVEN a store with activity
      const store = await createInstalledTestStore();
      await recordReferralActivity({ referralCode: store.referralCode, clicks: 2, signups: 1 });
      // WHEN the home is asked for a range that is not one
      const response = await callRoute(
        loader,
        await adminRequest(`/app?${search}`, { shopDomain: store.shopDomain }),
      );
      // THEN a 400 whose data says why, for the page to show above its range control
      expect(response).toBeInstanceOf(Response);
      expect((response as Response).status).toBe(400);
      const body = await (response as Response).json();
      expect(body.rangeError).toMatch(/^[A-Z].+\.$/);
      expect(body.summary).toBeNull();
      expect(body.referralCode).toBe(store.referralCode);
    },
  );

  it("shows shop A its own store only, whatever the request names", async () => {
    // GIVEN two stores, B with activity
    const storeA = await createInstalledTestStore();
    const storeB = await createInstalledTestStore();
    await recordReferralActivity({ referralCode: storeB.referralCode, clicks: 4, signups: 2 });
    // WHEN shop A's session asks for the page naming B
    const data = await loadData(
      loader,
      await adminRequest(`/app?shop=${storeB.shopDomain}&storeId=${storeB.id}`, {
        shopDomain: storeA.shopDomain,
      }),
    );
    // THEN it gets A's link and A's (empty) figures
    expect(data.referralCode).toBe(storeA.referralCode);
    expect(data.summary?.current.clicks).toBe(0);
    expect(data.isNewStore).toBe(true);
    expect(data.referredUsers).toEqual([]);
  });

  it("refuses a request signed with another secret (401)", async () => {
    const store = await createInstalledTestStore();
    const response = await callRoute(
      loader,
      await adminRequest("/app", { shopDomain: store.shopDomain, secret: "forged-secret" }),
    );
    expect((response as Response).status).toBe(401);
  });
});

describe("the store's time zone in the admin", () => {
  it("counts the home's days in the store's zone and tells of a zone change", async () => {
    // GIVEN a store in Kolkata (+05:30) whose shop then moves to Los Angeles
    const store = await createInstalledTestStore({ timeZone: "Asia/Kolkata" });
    await setStoreTimeZone({ shopDomain: store.shopDomain, timeZone: "America/Los_Angeles" });
    // WHEN its admin opens the home
    const data = await loadData(
      loader,
      await adminRequest("/app", { shopDomain: store.shopDomain }),
    );
    // THEN the range is the store's new zone's last 30 days, and the change is there to show
    expect(data.range.timeZone).toBe("America/Los_Angeles");
    expect(data.today).toBe(localDay(new Date(), "America/Los_Angeles"));
    expect(data.timeZoneChange).toEqual({
      previousTimeZone: "Asia/Kolkata",
      changedAt: expect.any(String),
    });
    const performance = await loadData(
      performanceLoader,
      await adminRequest("/app/performance", { shopDomain: store.shopDomain }),
    );
    expect(performance.timeZoneChange).toEqual(data.timeZoneChange);
  });

  it("gives every page the store's zone and the staff member's locale, whatever the request holds", async () => {
    const store = await createInstalledTestStore({ timeZone: "Europe/Berlin" });
    const layout = (path: string, headers: Record<string, string> = {}) =>
      adminRequest(path, { shopDomain: store.shopDomain, headers }).then((request) =>
        loadData(layoutLoader, request),
      );
    // Shopify's locale in the embedded URL first, then Accept-Language, else en-US
    expect((await layout("/app?locale=fr", { "accept-language": "de" })).dateFormat).toEqual({
      locale: "fr",
      timeZone: "Europe/Berlin",
    });
    expect((await layout("/app", { "accept-language": "de-CH,de;q=0.9" })).dateFormat.locale).toBe(
      "de-CH",
    );
    // … and a locale that is not one is ignored, never an error
    for (const hostile of ["%00", "%ED%A0%80", "x".repeat(5000), "en-US-u-ca-%FF"]) {
      expect((await layout(`/app?locale=${hostile}`)).dateFormat.locale).toMatch(/^[a-z]{2}/);
    }
  });
});

describe("home action: copy link", () => {
  it("fires AFFILIATE_REFERRAL_LINK_COPIED with the store's code", async () => {
    // GIVEN PostHog (faked on loopback)
    await withPostHog(async (posthog) => {
      const store = await createInstalledTestStore();
      // WHEN the partner copies the link
      const result = await loadData(
        action,
        await adminFormRequest("/app?index", {
          shopDomain: store.shopDomain,
          fields: { intent: "copy_link" },
        }),
      );
      await shutdownAnalytics({ timeoutMs: 2_000 });
      // THEN the event reaches PostHog, for this shop
      expect(result).toEqual({ copied: true });
      const copied = posthog.events.filter((event) => event.distinct_id === store.shopDomain);
      expect(copied).toEqual([
        expect.objectContaining({
          event: "AFFILIATE_REFERRAL_LINK_COPIED",
          properties: expect.objectContaining({
            referral_code: store.referralCode,
            store_id: store.id,
          }),
        }),
      ]);
    });
  });

  it("answers 400 to an unknown intent", async () => {
    const store = await createInstalledTestStore();
    const response = await callRoute(
      action,
      await adminFormRequest("/app?index", {
        shopDomain: store.shopDomain,
        fields: { intent: "delete_everything" },
      }),
    );
    expect((response as Response).status).toBe(400);
  });
});

describe("home action: bodies that are not a form", () => {
  it.each(NOT_A_FORM)(
    "answers %s with %i in the error shape and changes nothing",
    async (contentType, body, status) => {
      // GIVEN an installed shop's admin
      const store = await createInstalledTestStore();
      // WHEN it posts a body that is not a well-formed form
      const response = await postToAdminAction(action, "/app?index", {
        shopDomain: store.shopDomain,
        contentType,
        body,
      });
      // THEN a 4xx in the one error shape, never a 500
      expect(response.status).toBe(status);
      expect(await response.json()).toHaveProperty("error.code");
    },
  );

  it("answers 413 to a chunked form past 64 KB", async () => {
    const store = await createInstalledTestStore();
    const { body, pulled } = countedChunkedBody();
    const request = await adminRequest("/app?index", {
      shopDomain: store.shopDomain,
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    const response = (await callRoute(action, withStreamedBody(request, body))) as Response;
    expect(response.status).toBe(413);
    expect(pulled.count).toBeLessThan(10);
  });
});
