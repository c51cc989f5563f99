import { describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { verifyClickId } from "~/lib/referral-links/cookie.server";
import { changeStoreStatus } from "~/models/store.server";
import { headers as landingHeaders, loader } from "~/routes/_index";
import { usePostHogFake } from "~/test/analytics";
import { createTestStore } from "~/test/builders";
import { setCookiesOf, shopperRequest } from "~/test/shopper";

const posthog = usePostHogFake();

function visitLanding(path: string, options?: Parameters<typeof shopperRequest>[1]) {
  return loader({
    request: shopperRequest(path, options),
    params: {},
    context: { clientAddress: "127.0.0.1" },
  });
}

async function storeNameShown(response: Response) {
  return ((await response.json()) as { storeName: string | null }).storeName;
}

describe("GET / (the landing page)", () => {
  it("sends a visit from Shopify's admin (?shop=) to the embedded app", async () => {
    const response = await visitLanding("/?shop=chen.myshopify.com&host=abc").catch(
      (thrown: unknown) => thrown as Response,
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/app?shop=chen.myshopify.com&host=abc");
  });

  it("keeps ?ref= in the referral cookies, records the click and names the store", async () => {
    // GIVEN an active store
    const store = await createTestStore({ name: "Chen Wellness" });
    // WHEN a shopper lands with its code
    const response = await visitLanding(`/?ref=${store.referralCode}&utm_source=newsletter`);
    // THEN the page renders, naming the store, with both cookies and no caching
    expect(response.status).toBe(200);
    expect(await storeNameShown(response)).toBe("Chen Wellness");
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const cookies = setCookiesOf(response);
    expect(cookies.map(({ name, value }) => [name, name === "ref" ? value : "…"])).toEqual([
      ["ref", store.referralCode],
      ["ref_click", "…"],
    ]);
    const clickId = verifyClickId(cookies[1]!.value);
    const rows = await db.prisma.storeReferral.findMany({ where: { storeId: store.id } });
    expect(rows.map((row) => [row.id, row.utmParams])).toEqual([
      [clickId, { utm_source: "newsletter" }],
    ]);
    // AND the route passes the loader's headers on to the document
    const documentHeaders = landingHeaders({
      loaderHeaders: response.headers,
    } as Parameters<typeof landingHeaders>[0]) as Headers;
    expect(documentHeaders.getSetCookie()).toEqual(response.headers.getSetCookie());
    expect(new Set(documentHeaders.keys())).toEqual(new Set(["cache-control", "set-cookie"]));
  });

  it("takes the first of repeated ?ref= parameters", async () => {
    const [first, second] = await Promise.all([createTestStore(), createTestStore()]);
    const response = await visitLanding(`/?ref=${first!.referralCode}&ref=${second!.referralCode}`);
    expect(setCookiesOf(response)[0]!.value).toBe(first!.referralCode);
    expect(await db.prisma.storeReferral.count({ where: { storeId: first!.id } })).toBe(1);
    expect(await db.prisma.storeReferral.count({ where: { storeId: second!.id } })).toBe(0);
  });

  it("keeps nothing of a subscriber's e-mail a newsletter tool appended to the link", async () => {
    // GIVEN an active store, and its link as a mailing tool rewrote it
    const store = await createTestStore();
    // WHEN a subscriber follows it
    await visitLanding(
      `/?ref=${store.referralCode}&email=jane@example.com&utm_source=news&utm_content=jane%40example.com&utm_term=%2B1%20555%20123%204567`,
    );
    // THEN the click keeps the path, ref and the UTM values, the personal ones redacted
    const [row] = await db.prisma.storeReferral.findMany({ where: { storeId: store.id } });
    expect(row).toMatchObject({
      sourceUrl: `https://store-referrals.test/?ref=${store.referralCode}&utm_source=news&utm_term=redacted&utm_content=redacted`,
      utmParams: { utm_source: "news", utm_term: "redacted", utm_content: "redacted" },
    });
    // AND PostHog receives no more than the row
    const events = await posthog.received(
      (event) => event.properties.referral_code === store.referralCode,
    );
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toMatch(/jane|example\.com|555/i);
    expect(events[0]!.properties).toMatchObject({
      utm_source: "news",
      utm_term: "redacted",
      utm_content: "redacted",
    });
  });

  it("fires STORE_REFERRAL_LINK_CLICKED for a landing with a store code", async () => {
    const store = await createTestStore();
    await visitLanding(`/?ref=${store.referralCode}&channel=storefront`);
    const events = await posthog.received(
      (event) => event.properties.referral_code === store.referralCode,
    );
    expect(events.map(({ event, properties }) => [event, properties.channel])).toEqual([
      ["STORE_REFERRAL_LINK_CLICKED", "storefront"],
    ]);
  });

  it.each(["!!!", "a".repeat(65), "store-chen%00-a1b2", ""])(
    "renders the page without a cookie for an invalid code (%s)",
    async (code) => {
      const response = await visitLanding(`/?ref=${code}`);
      expect(response.status).toBe(200);
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(await storeNameShown(response)).toBeNull();
    },
  );

  it("does not name a suspended store (it no longer counts referrals)", async () => {
    const store = await createTestStore();
    await changeStoreStatus({ shopDomain: store.shopDomain, to: "suspended", actor: "operator" });
    const response = await visitLanding(`/?ref=${store.referralCode}`);
    expect(await storeNameShown(response)).toBeNull();
    expect(setCookiesOf(response).map(({ name }) => name)).toEqual(["ref", "ref_click"]);
  });

  it("names the store of the code kept by a /r/ link's cookie, and sets nothing", async () => {
    const store = await createTestStore({ name: "Green Leaf Foods" });
    const response = await visitLanding("/?utm_source=ig", {
      cookie: `ref=${store.referralCode}`,
    });
    expect(await storeNameShown(response)).toBe("Green Leaf Foods");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await db.prisma.storeReferral.count({ where: { storeId: store.id } })).toBe(0);
  });

  it("renders for a link-preview bot, naming the store, without a cookie or a count", async () => {
    const store = await createTestStore({ name: "Preview Pharmacy" });
    const response = await visitLanding(`/?ref=${store.referralCode}`, {
      userAgent: "facebookexternalhit/1.1",
    });
    expect(await storeNameShown(response)).toBe("Preview Pharmacy");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await db.prisma.storeReferral.count({ where: { storeId: store.id } })).toBe(0);
  });
});
