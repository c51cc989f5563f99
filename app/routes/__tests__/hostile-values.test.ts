// Issue 16, class 5: values PostgreSQL cannot store (NUL, lone surrogates) sent to the routes whose
// own test files belong elsewhere. Each gets a clear 4xx (or, for a shopper, is dropped) and
// changes nothing; never a 500.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { db } from "~/db.server";
import { action as demoSignUpAction } from "~/demo/routes/sign-up";
import { getEnv } from "~/env.server";
import { listApiKeys } from "~/models/api-key.server";
import { getStoreByShop } from "~/models/store.server";
import { action as apiKeysAction } from "~/routes/app.api-keys";
import { action as settingsAction } from "~/routes/app.settings";
import { action as clerkWebhookAction } from "~/routes/webhooks.clerk";
import { loader as referralLinkLoader } from "~/routes/r.$code";
import { usePostHogFake } from "~/test/analytics";
import { createTestStore, uniqueUserId } from "~/test/builders";
import {
  clerkWebhookRequest,
  configureClerk,
  startFakeClerk,
  testWebhookSecret,
  unconfigureClerk,
  userCreatedEvent,
  type FakeClerk,
} from "~/test/fakes/clerk";
import { callRoute, createInstalledTestStore } from "~/test/routes";
import { adminFormRequest, BROWSER_USER_AGENT } from "~/test/shopify";
import { shopperRequest } from "~/test/shopper";

const shopifyAdmin = await vi.hoisted(async () => {
  const { interceptShopifyAdmin } = await import("~/test/fakes/shopify-admin");
  return interceptShopifyAdmin();
});
usePostHogFake();

const secret = testWebhookSecret();
let clerk: FakeClerk;

beforeAll(async () => {
  clerk = await startFakeClerk();
  configureClerk({ apiUrl: clerk.url, webhookSecret: secret });
});

afterAll(async () => {
  unconfigureClerk();
  await clerk.close();
  await shopifyAdmin.close();
});

const routeArgs = (request: Request) => ({ request, params: {}, context: {} });

describe("admin: API key name", () => {
  it.each([
    ["a NUL character", "Ware\u0000house"],
    ["a NUL character only", "\u0000"],
  ])("answers 400 naming the field for %s, and creates no key", async (_label, name) => {
    // GIVEN an installed shop
    const store = await createInstalledTestStore();
    // WHEN a key is created with a name PostgreSQL cannot store
    const response = await apiKeysAction(
      routeArgs(
        await adminFormRequest("/app/api-keys", {
          shopDomain: store.shopDomain,
          fields: { intent: "create", name, scopes: "read" },
        }),
      ),
    );
    // THEN the form shows an error on the name, and no key exists
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      ok: false,
      errors: { name: expect.any(String) },
    });
    expect(await listApiKeys({ storeId: store.id })).toEqual([]);
  });
});

describe("admin: settings form", () => {
  it("answers 400 naming the field for a store name with a NUL character, and saves nothing", async () => {
    const store = await createInstalledTestStore();
    const outcome = await callRoute(
      settingsAction,
      await adminFormRequest("/app/settings", {
        shopDomain: store.shopDomain,
        fields: { intent: "update_store", name: "Chen\u0000Wellness", category: "pharmacy" },
      }),
    );
    expect(outcome).toBeInstanceOf(Response);
    expect((outcome as Response).status).toBe(400);
    expect(await (outcome as Response).json()).toMatchObject({
      ok: false,
      fieldErrors: { name: expect.any(String) },
    });
    expect((await getStoreByShop({ shopDomain: store.shopDomain }))?.name).toBe(store.name);
  });
});

describe("demo identity: e-mail", () => {
  // The demo identity answers only while Clerk is not configured.
  beforeAll(() => unconfigureClerk());
  afterAll(() => configureClerk({ apiUrl: clerk.url, webhookSecret: secret }));

  it("answers 400 to an e-mail with a NUL character", async () => {
    const request = new Request(new URL("/demo/sign-up", getEnv().SHOPIFY_APP_URL), {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "user-agent": BROWSER_USER_AGENT,
      },
      body: new URLSearchParams({ email: "shopper\u0000@example.com" }),
    });
    const response = (await demoSignUpAction(routeArgs(request))) as Response;
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "Enter a valid e-mail address." });
  });
});

describe("Clerk webhook: user.created", () => {
  it.each([
    ["a NUL character", (userId: string) => `${userId}\u0000`],
    ["a lone surrogate", (userId: string) => `${userId}\ud800`],
  ])("answers 400 to a user id with %s, and records nothing", async (_label, hostile) => {
    // GIVEN a store whose code the new user carries
    const store = await createTestStore();
    const userId = hostile(uniqueUserId());
    // WHEN Clerk (or someone with the secret) delivers a user id PostgreSQL cannot store
    const response = await clerkWebhookAction(
      routeArgs(
        clerkWebhookRequest(userCreatedEvent(userId, { referral_code: store.referralCode }), {
          secret,
        }),
      ),
    );
    // THEN a 400 with the one error shape, and no signup
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_payload" } });
    expect(await db.prisma.storeReferral.count({ where: { storeId: store.id } })).toBe(0);
  });

  it.each([
    ["a NUL character", "\u0000"],
    ["a lone surrogate", "\udc00"],
  ])(
    "drops an unsafe_metadata referral code with %s and still takes the signup",
    async (_label, character) => {
      const store = await createTestStore();
      const userId = uniqueUserId();
      const response = await clerkWebhookAction(
        routeArgs(
          clerkWebhookRequest(
            userCreatedEvent(userId, { referral_code: `${store.referralCode}${character}` }),
            { secret },
          ),
        ),
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ received: true, storeAttributed: false });
      expect(await db.prisma.storeReferral.count({ where: { storeId: store.id } })).toBe(0);
    },
  );
});

describe("referral link: UTM values", () => {
  it("drops NUL characters and stores undecodable bytes as U+FFFD, never an error", async () => {
    const store = await createTestStore();
    // %ED%A0%80 is "\ud800" in CESU-8: URL decoding turns it into U+FFFD, never a lone surrogate.
    const response = await referralLinkLoader({
      request: shopperRequest(
        `/r/${store.referralCode}?utm_source=in%00sta&utm_campaign=a%ED%A0%80b`,
      ),
      params: { code: store.referralCode },
      context: { clientAddress: "127.0.0.1" },
    });
    expect(response.status).toBe(302);
    const [row] = await db.prisma.storeReferral.findMany({ where: { storeId: store.id } });
    expect(row?.utmParams).toEqual({
      utm_source: "insta",
      utm_campaign: "a\ufffd\ufffd\ufffdb",
    });
  });
});
