// Home (the seeds' Referrals tab): figures, link, referred users and the copy action.
import { afterAll, describe, expect, it, vi } from "vitest";

import { shutdownAnalytics } from "~/lib/analytics/posthog.server";
import { anonymizeUserId } from "~/lib/infra/keyed-hash.server";
import { getStoreReferralStats } from "~/models/referral-stats.server";
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
  it("returns exactly the figures of getStoreReferralStats for the session's store", async () => {
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
    // THEN the figures are the model's, unchanged
    const expected = await getStoreReferralStats({ storeId: store.id, days: 30 });
    expect(data.stats).toEqual(expected);
    expect(data.stats).toMatchObject({
      totalClicks: 5,
      totalSignups: 3,
      conversionRate: 60,
      recentSignups30d: 3,
      totalActive: 1,
    });
    expect(data.days).toBe(30);
    expect(data.stats.daily).toHaveLength(30);
  });

  it("gives the store's link on the public site and the 90-day series on request", async () => {
    const store = await createInstalledTestStore();
    const data = await loadData(
      loader,
      await adminRequest("/app?days=90", { shopDomain: store.shopDomain }),
    );
    expect(data.referralLink).toBe(`https://store-referrals.test/?ref=${store.referralCode}`);
    expect(data.stats.daily).toHaveLength(90);
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

  it("answers 400 to a period other than 30 or 90 days", async () => {
    const store = await createInstalledTestStore();
    const response = await callRoute(
      loader,
      await adminRequest("/app?days=7", { shopDomain: store.shopDomain }),
    );
    expect(response).toBeInstanceOf(Response);
    expect((response as Response).status).toBe(400);
  });

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
    expect(data.stats.totalClicks).toBe(0);
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
