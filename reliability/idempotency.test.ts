// Repeats, over real HTTP: one user signing up 50 times at once (redirects and Clerk webhooks
// mixed, each carrying a different click), and replays of one Shopify and one Clerk webhook.
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { signClickId, verifyClickId } from "~/lib/referral-links/cookie.server";
import { createTestStore, uniqueUserId } from "~/test/builders";
import {
  clerkSessionCookies,
  clerkWebhookRequest,
  startFakeClerk,
  testWebhookSecret,
  userCreatedEvent,
  type FakeClerk,
} from "~/test/fakes/clerk";
import { BROWSER_USER_AGENT, installTestShopSession, webhookRequest } from "~/test/shopify";
import { RELIABILITY_SHOPIFY_SECRET, startAppServer, type AppServer } from "./support/app-server";
import { describeStatuses } from "./support/figures";
import { send, type RawResponse } from "./support/http";

let app: AppServer;
let clerk: FakeClerk;
let webhookSecret: string;

beforeAll(async () => {
  clerk = await startFakeClerk();
  webhookSecret = testWebhookSecret();
  app = await startAppServer({
    name: "reliability-idempotency",
    env: { CLERK_API_URL: clerk.url, CLERK_WEBHOOK_SECRET: webhookSecret },
  });
});

afterAll(async () => {
  await app?.stop();
  await clerk?.close();
});

let visitor = 0;
/** A visitor's click through the app: its `ref` and `ref_click` cookies, and the click id. */
async function click(referralCode: string) {
  visitor++;
  const response = await send(app.url, {
    path: `/r/${referralCode}`,
    headers: { "user-agent": BROWSER_USER_AGENT, "x-forwarded-for": `198.51.100.${visitor % 250}` },
  });
  const cookies = response.setCookies.map((cookie) => cookie.split(";")[0]!);
  const signedClick = cookies.find((cookie) => cookie.startsWith("ref_click="))!.slice(10);
  return { cookie: cookies.join("; "), signedClick, clickId: verifyClickId(signedClick)! };
}

/** Sends a Request built by the test helpers as is, through the app's HTTP server. */
async function deliver(request: Request): Promise<RawResponse> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => (headers[name] = value));
  return send(app.url, {
    method: request.method,
    path: new URL(request.url).pathname,
    headers,
    body: await request.text(),
  });
}

async function signupState(storeId: number, userId: string) {
  return {
    referrals: await db.prisma.storeReferral.findMany({
      where: { referredUserId: userId },
      select: { id: true, storeId: true, status: true, signedUpAt: true },
    }),
    signups: (await db.prisma.storeDailyStat.findMany({ where: { storeId } })).reduce(
      (sum, day) => sum + day.signups,
      0,
    ),
    clickedRows: await db.prisma.storeReferral.count({ where: { storeId, status: "clicked" } }),
    referralSource: await db.prisma.userReferralSource.findUnique({ where: { userId } }),
    clerkMetadata: structuredClone(clerk.users.get(userId)?.public_metadata ?? null),
  };
}

describe("reliability", () => {
  it("50 parallel signups of one user (40 redirects, 10 Clerk webhooks, 50 different clicks)", async ({
    task,
  }) => {
    // GIVEN a user who clicked a store's link 50 times (50 tabs, 50 clicks)
    const store = await createTestStore();
    const clicks = [];
    for (let index = 0; index < 50; index++) clicks.push(await click(store.referralCode));
    const userId = uniqueUserId();
    clerk.addUser(userId);
    // WHEN 40 redirects to /auth/complete and 10 user.created deliveries arrive at once
    const responses = await Promise.all(
      clicks.map((visit, index) =>
        index < 40
          ? send(app.url, {
              path: "/auth/complete",
              headers: {
                "user-agent": BROWSER_USER_AGENT,
                cookie: `${clerkSessionCookies(userId)}; ${visit.cookie}`,
              },
            })
          : deliver(
              clerkWebhookRequest(
                userCreatedEvent(userId, {
                  referral_code: store.referralCode,
                  referral_click: visit.signedClick,
                }),
                { secret: webhookSecret },
              ),
            ),
      ),
    );
    // THEN the user is attributed exactly once: one row, one signup counted, one source
    const state = await signupState(store.id, userId);
    const redirects = responses.slice(0, 40);
    task.meta.figures =
      `responses ${describeStatuses(responses.map((response) => response.status))}; ` +
      `${state.referrals.length} StoreReferral row for the user, ${state.signups} signup counted, ` +
      `${state.clickedRows} of 50 clicks left as clicks, referral_source ${state.referralSource ? "set once" : "missing"}`;
    expect(redirects.every((response) => response.headers.location === "/welcome")).toBe(true);
    expect(responses.slice(40).every((response) => response.status === 200)).toBe(true);
    expect(state.referrals).toHaveLength(1);
    expect(clicks.map((visit) => visit.clickId)).toContain(state.referrals[0]!.id);
    expect(state.signups).toBe(1);
    expect(state.clickedRows).toBe(49);
    expect(state.referralSource?.referralCode).toBe(store.referralCode);
    expect(state.clerkMetadata).toEqual({ referral_source: store.referralCode });
  });

  it("10 replays of one Shopify webhook (app/uninstalled) and of one Clerk webhook (user.created)", async ({
    task,
  }) => {
    // GIVEN an installed store, and one delivery of each webhook, applied once
    const store = await createTestStore();
    await installTestShopSession({ shopDomain: store.shopDomain });
    const eventId = randomUUID();
    const shopify = () =>
      webhookRequest({
        topic: "app/uninstalled",
        shopDomain: store.shopDomain,
        eventId,
        secret: RELIABILITY_SHOPIFY_SECRET,
      });
    const referringStore = await createTestStore();
    const visit = await click(referringStore.referralCode);
    const userId = uniqueUserId();
    clerk.addUser(userId);
    const svixId = `msg_${randomUUID().replaceAll("-", "")}`;
    const clerkDelivery = () =>
      clerkWebhookRequest(
        userCreatedEvent(userId, {
          referral_code: referringStore.referralCode,
          referral_click: signClickId(visit.clickId),
        }),
        { secret: webhookSecret, svixId },
      );
    const shopState = async () => ({
      store: await db.prisma.store.findUnique({
        where: { id: store.id },
        select: { status: true, statusReason: true, uninstalledAt: true, updatedAt: true },
      }),
      sessions: await db.prisma.session.count({ where: { shop: store.shopDomain } }),
      deliveries: await db.prisma.inboundWebhookDelivery.count({ where: { deliveryId: eventId } }),
    });
    const clerkState = async () => ({
      ...(await signupState(referringStore.id, userId)),
      deliveries: await db.prisma.inboundWebhookDelivery.count({ where: { deliveryId: svixId } }),
      metadataWrites: clerk.metadataUpdates(userId).length,
    });
    const firstShopify = await deliver(shopify());
    const firstClerk = await deliver(clerkDelivery());
    const shopAfterOne = await shopState();
    const clerkAfterOne = await clerkState();

    // WHEN each is replayed 10 times: 5 at once, then 5 one after another
    const replays: RawResponse[] = [];
    replays.push(
      ...(await Promise.all(
        Array.from({ length: 5 }, (_, index) => deliver(index % 2 ? shopify() : clerkDelivery())),
      )),
      ...(await Promise.all(
        Array.from({ length: 5 }, (_, index) => deliver(index % 2 ? clerkDelivery() : shopify())),
      )),
    );
    for (let index = 0; index < 5; index++) {
      replays.push(await deliver(shopify()), await deliver(clerkDelivery()));
    }

    // THEN every replay is acknowledged and the final state is the state after the first
    const shopAfterReplays = await shopState();
    const clerkAfterReplays = await clerkState();
    task.meta.figures =
      `first deliveries ${firstShopify.status}/${firstClerk.status}, 20 replays ${describeStatuses(replays.map((response) => response.status))}; ` +
      `store ${shopAfterReplays.store?.status}, ${shopAfterReplays.deliveries} Shopify delivery recorded, ` +
      `${clerkAfterReplays.referrals.length} StoreReferral row for the user, ${clerkAfterReplays.signups} signup counted, ` +
      `${clerkAfterReplays.metadataWrites} referral_source write; state unchanged by the replays: ` +
      `${JSON.stringify(shopAfterReplays) === JSON.stringify(shopAfterOne) && JSON.stringify(clerkAfterReplays) === JSON.stringify(clerkAfterOne)}`;
    expect(firstShopify.status).toBe(200);
    expect(firstClerk.status).toBe(200);
    expect(replays.every((response) => response.status === 200)).toBe(true);
    expect(shopAfterOne).toMatchObject({
      store: { status: "deactivated" },
      sessions: 0,
      deliveries: 1,
    });
    expect(clerkAfterOne).toMatchObject({ signups: 1, deliveries: 1, metadataWrites: 1 });
    expect(clerkAfterOne.referrals.map((row) => row.id)).toEqual([visit.clickId]);
    expect(shopAfterReplays).toEqual(shopAfterOne);
    expect(clerkAfterReplays).toEqual(clerkAfterOne);
  });
});
