import { Webhook } from "svix";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { signClickId, verifyClickId } from "~/lib/referral-links/cookie.server";
import { findInboundWebhookDelivery } from "~/models/inbound-webhook.server";
import { getReferralSource } from "~/models/user-referral-source.server";
import { action } from "~/routes/webhooks.clerk";
import { usePostHogFake } from "~/test/analytics";
import { createTestStore, uniqueUserId } from "~/test/builders";
import {
  clerkSessionCookies,
  clerkWebhookRequest,
  configureClerk,
  startFakeClerk,
  testWebhookSecret,
  unconfigureClerk,
  userCreatedEvent,
  userDeletedEvent,
  type FakeClerk,
} from "~/test/fakes/clerk";
import { takeLoggedErrors } from "~/test/logs";
import { completeSignup, cookiesAfterFollowing } from "~/test/signup";

const posthog = usePostHogFake();
const secret = testWebhookSecret();
let clerk: FakeClerk;

beforeAll(async () => {
  clerk = await startFakeClerk();
});

afterEach(() => {
  clerk.failing = false;
  configureClerk({ apiUrl: clerk.url, webhookSecret: secret });
});

afterAll(async () => {
  unconfigureClerk();
  await clerk.close();
});

beforeAll(() => configureClerk({ apiUrl: clerk.url, webhookSecret: secret }));

function deliver(request: Request) {
  return action({ request, params: {}, context: {} });
}

async function followedLink(referralCode: string) {
  const cookies = await cookiesAfterFollowing(referralCode);
  const signedClick = /ref_click=([^;]+)/.exec(cookies)![1]!;
  return { cookies, signedClick, clickId: verifyClickId(signedClick)! };
}

function eventNamesOf(userId: string) {
  return posthog
    .received((event) => event.distinctId === userId)
    .then((events) => events.map(({ event, properties }) => [event, properties.attribution_path]));
}

describe("POST /webhooks/clerk", () => {
  it("backfills the attribution of a signup whose redirect never happened", async () => {
    // GIVEN a shopper who followed a store's link and signed up, but closed the tab before
    // /auth/complete: Clerk holds the code and signed click in the unsafe metadata
    const store = await createTestStore();
    const { signedClick, clickId } = await followedLink(store.referralCode);
    const userId = uniqueUserId();
    const unsafe = { referral_code: store.referralCode, referral_click: signedClick };
    clerk.addUser(userId, { unsafe });
    // WHEN Clerk delivers user.created
    const response = await deliver(
      clerkWebhookRequest(userCreatedEvent(userId, unsafe), { secret }),
    );
    // THEN the click becomes the signup, referral_source is set, the events fire once
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      received: true,
      referralSource: store.referralCode,
      storeAttributed: true,
    });
    const rows = await db.prisma.storeReferral.findMany({ where: { storeId: store.id } });
    expect(rows.map((row) => [row.id, row.status, row.referredUserId])).toEqual([
      [clickId, "signed_up", userId],
    ]);
    expect(clerk.users.get(userId)!.public_metadata).toEqual({
      referral_source: store.referralCode,
    });
    expect(await eventNamesOf(userId)).toEqual([
      ["REFERRAL_SIGNUP_COMPLETED", "webhook"],
      ["STORE_REFERRAL_SIGNUP", "webhook"],
    ]);
  });

  it("ignores a second delivery with the same svix-id", async () => {
    const store = await createTestStore();
    const userId = uniqueUserId();
    clerk.addUser(userId);
    const event = userCreatedEvent(userId, { referral_code: store.referralCode });
    await deliver(clerkWebhookRequest(event, { secret, svixId: `msg_dup_${userId}` }));
    const again = await deliver(
      clerkWebhookRequest(event, { secret, svixId: `msg_dup_${userId}` }),
    );
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    expect(clerk.metadataUpdates(userId)).toHaveLength(1);
    expect(
      await db.prisma.inboundWebhookDelivery.count({
        where: { source: "clerk", deliveryId: `msg_dup_${userId}` },
      }),
    ).toBe(1);
  });

  it("counts a signup once when the redirect ran first and the webhook follows", async () => {
    const store = await createTestStore();
    const { cookies, signedClick } = await followedLink(store.referralCode);
    const userId = uniqueUserId();
    const unsafe = { referral_code: store.referralCode, referral_click: signedClick };
    clerk.addUser(userId, { unsafe });
    await completeSignup(`${clerkSessionCookies(userId)}; ${cookies}`);
    const response = await deliver(
      clerkWebhookRequest(userCreatedEvent(userId, unsafe), { secret }),
    );
    expect(await response.json()).toMatchObject({ storeAttributed: false });
    expect(await db.prisma.storeReferral.count({ where: { storeId: store.id } })).toBe(1);
    const stats = await db.prisma.storeDailyStat.findMany({ where: { storeId: store.id } });
    expect(stats.reduce((sum, day) => sum + day.signups, 0)).toBe(1);
    expect(await eventNamesOf(userId)).toEqual([
      ["REFERRAL_SIGNUP_COMPLETED", "redirect"],
      ["STORE_REFERRAL_SIGNUP", "redirect"],
    ]);
  });

  it("counts a signup once when the webhook ran first and the redirect follows", async () => {
    const store = await createTestStore();
    const { cookies, signedClick, clickId } = await followedLink(store.referralCode);
    const userId = uniqueUserId();
    const unsafe = { referral_code: store.referralCode, referral_click: signedClick };
    clerk.addUser(userId, { unsafe });
    await deliver(clerkWebhookRequest(userCreatedEvent(userId, unsafe), { secret }));
    const response = await completeSignup(`${clerkSessionCookies(userId)}; ${cookies}`);
    expect(response.headers.get("location")).toBe("/welcome");
    const rows = await db.prisma.storeReferral.findMany({ where: { storeId: store.id } });
    expect(rows.map((row) => [row.id, row.referredUserId])).toEqual([[clickId, userId]]);
    expect(await eventNamesOf(userId)).toEqual([
      ["REFERRAL_SIGNUP_COMPLETED", "webhook"],
      ["STORE_REFERRAL_SIGNUP", "webhook"],
    ]);
  });

  it("does not let a forged click in the unsafe metadata claim another visitor's click", async () => {
    const store = await createTestStore();
    const { clickId: othersClick } = await followedLink(store.referralCode);
    const signature = signClickId(othersClick).split(".")[1]!;
    const forged = `${othersClick}.${signature.slice(0, -1)}${signature.endsWith("A") ? "B" : "A"}`;
    const userId = uniqueUserId();
    clerk.addUser(userId);
    await deliver(
      clerkWebhookRequest(
        userCreatedEvent(userId, { referral_code: store.referralCode, referral_click: forged }),
        { secret },
      ),
    );
    const claimed = await db.prisma.storeReferral.findUniqueOrThrow({ where: { id: othersClick } });
    expect(claimed.referredUserId).toBeNull();
    expect(await db.prisma.storeReferral.count({ where: { referredUserId: userId } })).toBe(1);
  });

  it("asks svix to retry when a step failed, and completes on the retry", async () => {
    const store = await createTestStore();
    const userId = uniqueUserId();
    clerk.addUser(userId);
    const event = userCreatedEvent(userId, { referral_code: store.referralCode });
    const svixId = `msg_retry_${userId}`;
    clerk.failing = true;
    const first = await deliver(clerkWebhookRequest(event, { secret, svixId }));
    expect(first.status).toBe(503);
    expect(takeLoggedErrors().map((entry) => entry.step)).toEqual(["identity_read"]);
    clerk.failing = false;
    const retry = await deliver(clerkWebhookRequest(event, { secret, svixId }));
    expect(retry.status).toBe(200);
    expect(clerk.users.get(userId)!.public_metadata).toEqual({
      referral_source: store.referralCode,
    });
    expect(await db.prisma.storeReferral.count({ where: { referredUserId: userId } })).toBe(1);
    expect(await eventNamesOf(userId)).toEqual([
      ["REFERRAL_SIGNUP_COMPLETED", "webhook"],
      ["STORE_REFERRAL_SIGNUP", "webhook"],
    ]);
  });

  it("rolls a failed attribution back with its delivery record: no row, no event; the retry is processed", async () => {
    // GIVEN a follower of a store's link whose user.created arrives while Clerk is down
    const store = await createTestStore();
    const { signedClick, clickId } = await followedLink(store.referralCode);
    const userId = uniqueUserId();
    const unsafe = { referral_code: store.referralCode, referral_click: signedClick };
    clerk.addUser(userId, { unsafe });
    const svixId = `msg_rollback_${userId}`;
    const delivery = { source: "clerk" as const, deliveryId: svixId };
    clerk.failing = true;
    // WHEN it is delivered
    const first = await deliver(
      clerkWebhookRequest(userCreatedEvent(userId, unsafe), { secret, svixId }),
    );
    // THEN svix is asked to retry, and the database steps that ran are rolled back with the record
    expect(first.status).toBe(503);
    expect(takeLoggedErrors().map((entry) => entry.step)).toEqual(["identity_read"]);
    expect(await findInboundWebhookDelivery(delivery)).toBeNull();
    expect(await getReferralSource({ userId })).toBeNull();
    expect(
      await db.prisma.storeReferral.findUniqueOrThrow({ where: { id: clickId } }),
    ).toMatchObject({ status: "clicked", referredUserId: null });
    expect(await eventNamesOf(userId)).toEqual([]);
    // WHEN svix retries once Clerk is back
    clerk.failing = false;
    const retry = await deliver(
      clerkWebhookRequest(userCreatedEvent(userId, unsafe), { secret, svixId }),
    );
    // THEN it is processed and recorded, and the events fire once
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({
      received: true,
      referralSource: store.referralCode,
      storeAttributed: true,
    });
    expect(await findInboundWebhookDelivery(delivery)).toMatchObject({ topic: "user.created" });
    expect(await getReferralSource({ userId })).toMatchObject({ referralCode: store.referralCode });
    expect(await eventNamesOf(userId)).toEqual([
      ["REFERRAL_SIGNUP_COMPLETED", "webhook"],
      ["STORE_REFERRAL_SIGNUP", "webhook"],
    ]);
  });

  it("still reports the referral source as new when a rolled-back delivery had written it to Clerk", async () => {
    // GIVEN a user whose referral_source an earlier delivery wrote to Clerk before it was rolled
    // back (Clerk's write cannot be), so no claim of it is in the database
    const store = await createTestStore();
    const userId = uniqueUserId();
    clerk.addUser(userId, { public: { referral_source: store.referralCode } });
    // WHEN svix delivers it again
    const response = await deliver(
      clerkWebhookRequest(userCreatedEvent(userId, { referral_code: store.referralCode }), {
        secret,
      }),
    );
    // THEN the claim is made and both events fire, Clerk is not written again
    expect(response.status).toBe(200);
    expect(await getReferralSource({ userId })).toMatchObject({ referralCode: store.referralCode });
    expect(clerk.metadataUpdates(userId)).toEqual([]);
    expect(await eventNamesOf(userId)).toEqual([
      ["REFERRAL_SIGNUP_COMPLETED", "webhook"],
      ["STORE_REFERRAL_SIGNUP", "webhook"],
    ]);
  });

  it("rejects a delivery signed with another secret (401), changing nothing", async () => {
    const store = await createTestStore();
    const userId = uniqueUserId();
    clerk.addUser(userId);
    const response = await deliver(
      clerkWebhookRequest(userCreatedEvent(userId, { referral_code: store.referralCode }), {
        secret,
        signWith: testWebhookSecret(),
      }),
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: "invalid_signature", message: "The svix signature is missing or invalid." },
    });
    expect(clerk.metadataUpdates(userId)).toEqual([]);
    expect(await db.prisma.storeReferral.count({ where: { storeId: store.id } })).toBe(0);
  });

  it("rejects a delivery without svix headers (401)", async () => {
    const response = await deliver(
      new Request("https://store-referrals.test/webhooks/clerk", {
        method: "POST",
        body: JSON.stringify(userCreatedEvent(uniqueUserId())),
      }),
    );
    expect(response.status).toBe(401);
  });

  it("acknowledges and ignores other event types", async () => {
    const response = await deliver(
      clerkWebhookRequest({ type: "session.created", data: { id: "sess_1" } }, { secret }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, ignored: true });
  });

  it("answers 400 to a verified user.created without a user id", async () => {
    const response = await deliver(
      clerkWebhookRequest({ type: "user.created", data: { object: "user" } }, { secret }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_payload" } });
  });

  it("answers 404 where Clerk is not used at all (the local preview), not a 503 to retry", async () => {
    // GIVEN an instance without Clerk's keys
    unconfigureClerk();
    // WHEN a signed delivery arrives THEN nothing here takes Clerk webhooks
    const response = await deliver(
      clerkWebhookRequest(userCreatedEvent(uniqueUserId()), { secret }),
    );
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("answers 503 with a clear error when no webhook secret is configured", async () => {
    configureClerk({ apiUrl: clerk.url });
    const response = await deliver(
      clerkWebhookRequest(userCreatedEvent(uniqueUserId()), { secret }),
    );
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      error: {
        code: "webhook_not_configured",
        message:
          "Clerk webhooks are not configured here: set CLERK_WEBHOOK_SECRET and Clerk's keys.",
      },
    });
  });

  it("answers 400 (not 503, which svix retries forever) to a correctly signed body that is not JSON", async () => {
    // GIVEN a delivery as the builder makes it, whose body is replaced by text, signed again
    const template = clerkWebhookRequest(userCreatedEvent(uniqueUserId()), { secret });
    const svixId = template.headers.get("svix-id")!;
    const timestamp = new Date(Number(template.headers.get("svix-timestamp")) * 1000);
    const body = "user.created, not JSON {";
    const headers = new Headers(template.headers);
    headers.set("svix-signature", new Webhook(secret).sign(svixId, timestamp, body));
    // WHEN it is delivered
    const response = await deliver(new Request(template.url, { method: "POST", headers, body }));
    // THEN it is refused as bad input and nothing is recorded
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: "invalid_payload", message: "The signed payload is not JSON." },
    });
    expect(await findInboundWebhookDelivery({ source: "clerk", deliveryId: svixId })).toBeNull();
  });

  it("answers 413 to a chunked body past 256 KB, which declares no Content-Length", async () => {
    // GIVEN a signed delivery's headers and a 2 MB body streamed in 64 KB chunks
    const template = clerkWebhookRequest(userCreatedEvent(uniqueUserId()), { secret });
    let chunks = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (chunks++ === 32) return controller.close();
        controller.enqueue(new Uint8Array(64 * 1024).fill(32));
      },
    });
    const headers = new Headers(template.headers);
    headers.delete("content-length");
    // WHEN it is delivered
    const response = await deliver(
      new Request(template.url, { method: "POST", headers, body, duplex: "half" } as RequestInit),
    );
    // THEN 413 in the error shape, with Connection: close, having read only about 256 KB
    expect(response.status).toBe(413);
    expect(response.headers.get("connection")).toBe("close");
    expect(await response.json()).toMatchObject({ error: { code: "payload_too_large" } });
    expect(chunks).toBeLessThan(10);
  });
});

describe("POST /webhooks/clerk user.deleted", () => {
  /** A store and a user attributed to it through the webhook, with the referral source set. */
  async function attributedUser() {
    const store = await createTestStore();
    const { signedClick, clickId } = await followedLink(store.referralCode);
    const userId = uniqueUserId();
    const unsafe = { referral_code: store.referralCode, referral_click: signedClick };
    clerk.addUser(userId, { unsafe });
    await deliver(clerkWebhookRequest(userCreatedEvent(userId, unsafe), { secret }));
    return { store, userId, clickId };
  }

  async function storedRowsOf(storeId: number, userId: string) {
    return {
      referrals: await db.prisma.storeReferral.findMany({ where: { storeId } }),
      source: await getReferralSource({ userId }),
      daily: await db.prisma.storeDailyStat.findMany({ where: { storeId } }),
    };
  }

  it("erases the user in the transaction that records the delivery; the sign-up stays counted", async () => {
    // GIVEN a user attributed to a store
    const { store, userId, clickId } = await attributedUser();
    const dailyBefore = await db.prisma.storeDailyStat.findMany({ where: { storeId: store.id } });
    // WHEN Clerk says the user was deleted
    const svixId = `msg_del_${userId}`;
    const response = await deliver(
      clerkWebhookRequest(userDeletedEvent(userId), { secret, svixId }),
    );
    // THEN the answer says so, the delivery is recorded, and the id is gone
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, erased: true });
    expect(await findInboundWebhookDelivery({ source: "clerk", deliveryId: svixId })).toMatchObject(
      { topic: "user.deleted" },
    );
    const stored = await storedRowsOf(store.id, userId);
    expect(stored.source).toBeNull();
    expect(stored.referrals).toEqual([
      expect.objectContaining({
        id: clickId,
        status: "signed_up",
        referredUserId: null,
        visitorHash: null,
        erasedAt: expect.any(Date),
      }),
    ]);
    // AND the store's counts do not change
    expect(stored.daily).toEqual(dailyBefore);
  });

  it("changes nothing on a replay of the same delivery, nor on a second deletion event", async () => {
    const { store, userId } = await attributedUser();
    const svixId = `msg_del_twice_${userId}`;
    await deliver(clerkWebhookRequest(userDeletedEvent(userId), { secret, svixId }));
    const after = await storedRowsOf(store.id, userId);
    const replay = await deliver(clerkWebhookRequest(userDeletedEvent(userId), { secret, svixId }));
    expect(await replay.json()).toEqual({ received: true, duplicate: true });
    const another = await deliver(clerkWebhookRequest(userDeletedEvent(userId), { secret }));
    expect(await another.json()).toEqual({ received: true, erased: false });
    expect(await storedRowsOf(store.id, userId)).toEqual(after);
  });

  it("does not bring an erased user back when svix retries their user.created after the deletion", async () => {
    // GIVEN a user deleted at Clerk and erased here, whose user.created delivery failed earlier
    const store = await createTestStore();
    const { signedClick } = await followedLink(store.referralCode);
    const userId = uniqueUserId();
    const unsafe = { referral_code: store.referralCode, referral_click: signedClick };
    await deliver(clerkWebhookRequest(userDeletedEvent(userId), { secret }));
    // WHEN the user.created retry arrives (Clerk no longer knows the user)
    const retry = await deliver(clerkWebhookRequest(userCreatedEvent(userId, unsafe), { secret }));
    // THEN it is not applied (svix may retry, Clerk keeps answering 404): nothing of the user is stored
    expect(retry.status).toBe(503);
    expect(await getReferralSource({ userId })).toBeNull();
    expect(await db.prisma.storeReferral.count({ where: { referredUserId: userId } })).toBe(0);
    takeLoggedErrors();
  });

  it("acknowledges the deletion of a user who was never referred", async () => {
    const response = await deliver(
      clerkWebhookRequest(userDeletedEvent(uniqueUserId()), { secret }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, erased: false });
  });

  it.each([
    ["no id", { type: "user.deleted", data: { deleted: true } }],
    ["a null id", userDeletedEvent(null)],
    ["a numeric id", userDeletedEvent(42)],
    ["an e-mail for an id", userDeletedEvent("jane@example.com")],
    ["SQL for an id", userDeletedEvent("user_1' OR '1'='1")],
    ["a LIKE pattern for an id", userDeletedEvent("user_%")],
    ["no data", { type: "user.deleted" }],
    ["data that is a string", { type: "user.deleted", data: "user_abc" }],
  ])(
    "answers 400 to a signed user.deleted with %s, erasing and recording nothing",
    async (_, payload) => {
      // GIVEN an attributed user (who must stay)
      const { store, userId } = await attributedUser();
      const before = await storedRowsOf(store.id, userId);
      const svixId = `msg_bad_${userId}`;
      // WHEN a signed deletion arrives without a usable id
      const response = await deliver(clerkWebhookRequest(payload, { secret, svixId }));
      // THEN 400 in the one error shape, nothing recorded, nothing erased
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: "invalid_payload" } });
      expect(await findInboundWebhookDelivery({ source: "clerk", deliveryId: svixId })).toBeNull();
      expect(await storedRowsOf(store.id, userId)).toEqual(before);
    },
  );

  it("rejects an unsigned deletion (401), erasing nothing", async () => {
    const { store, userId } = await attributedUser();
    const before = await storedRowsOf(store.id, userId);
    const response = await deliver(
      clerkWebhookRequest(userDeletedEvent(userId), { secret, signWith: testWebhookSecret() }),
    );
    expect(response.status).toBe(401);
    expect(await storedRowsOf(store.id, userId)).toEqual(before);
  });
});
