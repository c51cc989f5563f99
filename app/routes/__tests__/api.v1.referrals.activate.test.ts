// POST /api/v1/referrals/activate: Syntropy's activation secret or a store key with `write`.
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { resetEnvForTests } from "~/env.server";
import { shutdownAnalytics } from "~/lib/analytics/posthog.server";
import { recordReferralClick } from "~/models/referral-clicks.server";
import { recordReferralSignup } from "~/models/referral-signups.server";
import * as activateRoute from "~/routes/api.v1.referrals.activate";
import { apiRequest, callApi, createTestApiKey } from "~/test/api";
import { createTestStore, uniqueUserId, uniqueVisitor } from "~/test/builders";
import { startFakePostHog, type FakePostHog } from "~/test/fakes/posthog";

const ACTIVATION_SECRET = process.env.ACTIVATION_API_SECRET!;
const URL_PATH = "/api/v1/referrals/activate";

interface ActivationBody {
  outcome: "activated" | "already_active";
  referral: {
    id: string;
    status: string;
    referral_code: string;
    referred_user: string | null;
    activated_at: string | null;
  };
}

let posthog: FakePostHog;

beforeEach(async () => {
  posthog = await startFakePostHog();
  process.env.POSTHOG_API_KEY = "phc_test_key";
  process.env.POSTHOG_HOST = posthog.url;
  resetEnvForTests();
});

afterEach(async () => {
  await shutdownAnalytics({ timeoutMs: 500 });
  await posthog.close();
  delete process.env.POSTHOG_API_KEY;
  delete process.env.POSTHOG_HOST;
  process.env.ACTIVATION_API_SECRET = ACTIVATION_SECRET;
  resetEnvForTests();
});

/** A store with one referred, signed-up user. */
async function signedUpReferral() {
  const store = await createTestStore();
  const userId = uniqueUserId();
  const click = await recordReferralClick({
    referralCode: store.referralCode,
    visitorHash: uniqueVisitor(),
  });
  await recordReferralSignup({
    referralCode: store.referralCode,
    userId,
    clickId: click.recorded ? click.clickId : null,
  });
  return { store, userId };
}

function activate(body: unknown, credentials: { key?: string; authorization?: string }) {
  return callApi<ActivationBody>(
    activateRoute,
    apiRequest(URL_PATH, { method: "POST", body, ...credentials }),
  );
}

const withSecret = { authorization: `Bearer ${ACTIVATION_SECRET}` };

async function storedReferral(userId: string) {
  return db.prisma.storeReferral.findUniqueOrThrow({ where: { referredUserId: userId } });
}

describe("POST /api/v1/referrals/activate", () => {
  it("activates any store's user with the activation secret and fires one event", async () => {
    // GIVEN a signed-up referred user
    const { store, userId } = await signedUpReferral();
    // WHEN Syntropy's backend activates the user
    const response = await activate({ user_id: userId }, withSecret);
    // THEN the referral is active, returned anonymized, and PostHog gets the event
    expect(response.status).toBe(200);
    expect(response.body.outcome).toBe("activated");
    expect(response.body.referral).toMatchObject({
      status: "active",
      referral_code: store.referralCode,
      referred_user: expect.stringMatching(/^user-[0-9a-f]{10}$/),
      activated_at: expect.any(String),
    });
    expect(JSON.stringify(response.body)).not.toContain(userId);
    expect((await storedReferral(userId)).status).toBe("active");
    await shutdownAnalytics();
    expect(posthog.events).toEqual([
      expect.objectContaining({
        event: "STORE_REFERRAL_ACTIVATED",
        distinct_id: userId,
        properties: expect.objectContaining({
          referral_code: store.referralCode,
          store_id: store.id,
        }),
      }),
    ]);
  });

  it("activates the store's own user with a write key, within the key's rate limit", async () => {
    const { store, userId } = await signedUpReferral();
    const { key } = await createTestApiKey({ storeId: store.id, scopes: ["write"] });
    const response = await activate({ user_id: userId }, { key });
    expect(response.status).toBe(200);
    expect(response.body.outcome).toBe("activated");
    expect(response.headers.get("ratelimit-limit")).toBe("60");
    await shutdownAnalytics();
    expect(posthog.events.map((event) => [event.event, event.distinct_id])).toEqual([
      ["STORE_REFERRAL_ACTIVATED", userId],
    ]);
  });

  it("answers a repeat with 200, changes nothing and fires no second event", async () => {
    // GIVEN a user already activated
    const { userId } = await signedUpReferral();
    const first = await activate({ user_id: userId }, withSecret);
    const before = await storedReferral(userId);
    // WHEN activated again
    const again = await activate({ user_id: userId }, withSecret);
    // THEN the same referral comes back, unchanged, with one event in all
    expect(again.status).toBe(200);
    expect(again.body.outcome).toBe("already_active");
    expect(again.body.referral).toEqual(first.body.referral);
    expect(await storedReferral(userId)).toEqual(before);
    await shutdownAnalytics();
    expect(
      posthog.events.filter((event) => event.event === "STORE_REFERRAL_ACTIVATED"),
    ).toHaveLength(1);
  });

  it("answers 404 for a user nobody referred", async () => {
    const response = await activate({ user_id: uniqueUserId() }, withSecret);
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: { code: "not_found", message: "No referred user with this user_id." },
    });
    await shutdownAnalytics();
    expect(posthog.events).toEqual([]);
  });

  it("answers 404 to a store key for another store's user, and activates nothing", async () => {
    // GIVEN a user referred by store B, and store A's write key
    const { userId } = await signedUpReferral();
    const storeA = await createTestStore();
    const { key } = await createTestApiKey({ storeId: storeA.id, scopes: ["write"] });
    // WHEN A's key tries to activate B's user
    const response = await activate({ user_id: userId }, { key });
    // THEN it looks like an unknown user and the referral stays signed up
    expect(response.status).toBe(404);
    expect((await storedReferral(userId)).status).toBe("signed_up");
  });

  it("refuses the secret when ACTIVATION_API_SECRET is not set", async () => {
    const { userId } = await signedUpReferral();
    delete process.env.ACTIVATION_API_SECRET;
    resetEnvForTests();
    const response = await activate({ user_id: userId }, withSecret);
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: { code: "unauthorized" } });
    expect((await storedReferral(userId)).status).toBe("signed_up");
  });

  it("refuses a wrong secret with 401", async () => {
    const { userId } = await signedUpReferral();
    const response = await activate(
      { user_id: userId },
      { authorization: `Bearer ${ACTIVATION_SECRET}x` },
    );
    expect(response.status).toBe(401);
    expect((await storedReferral(userId)).status).toBe("signed_up");
  });

  it.each([
    [{}, "user_id"],
    [{ user_id: "" }, "user_id"],
    [{ user_id: "   " }, "user_id"],
    [{ user_id: 42 }, "user_id"],
    [{ user_id: "u".repeat(256) }, "user_id"],
  ])("answers 422 to the body %j, naming %s", async (body, field) => {
    const response = await activate(body, withSecret);
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      error: {
        code: "validation_failed",
        message: expect.stringContaining(`body field "${field}"`),
      },
    });
  });

  it("says which user id it takes, and gives an example, when user_id is missing", async () => {
    const response = await activate({}, withSecret);
    expect((response.body as unknown as { error: { message: string } }).error.message).toBe(
      'Invalid body field "user_id": is required. Expected: The referred user\'s id (the Clerk ' +
        "user id that signed up). NUL characters and unpaired surrogates are refused. " +
        'Example: {"user_id":"user_2pQfKxW9mZbT4vN8rL3sY6hJ1dE"}.',
    );
  });

  // JSON.stringify writes NUL and lone surrogates as \u escapes, as a hostile client would.
  it.each([
    ["a NUL character", (userId: string) => `${userId}\u0000`],
    ["a NUL character inside", (userId: string) => `a\u0000${userId}`],
    ["a lone high surrogate", (userId: string) => `${userId}\ud800`],
    ["a lone low surrogate", (userId: string) => `\udc00${userId}`],
  ])("answers 422 to a user_id holding %s, and changes nothing", async (_label, hostile) => {
    // GIVEN a signed-up referred user
    const { userId } = await signedUpReferral();
    const before = await storedReferral(userId);
    const body = JSON.stringify({ user_id: hostile(userId) });
    expect(body).toMatch(/\\u(0000|d800|dc00)/);
    // WHEN the body carries text PostgreSQL cannot store
    const response = await activate(body, withSecret);
    // THEN a 422 names the field, and nothing changed
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      error: {
        code: "validation_failed",
        message: expect.stringContaining('body field "user_id"'),
      },
    });
    expect(await storedReferral(userId)).toEqual(before);
    await shutdownAnalytics();
    expect(posthog.events).toEqual([]);
  });

  it.each([
    ["", 400, "bad_request"],
    ["not json", 400, "bad_request"],
    ["[1, 2", 400, "bad_request"],
    ["null", 422, "validation_failed"],
    ["[]", 422, "validation_failed"],
  ])("answers the raw body %j with %i", async (raw, status, code) => {
    const response = await activate(raw, withSecret);
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ error: { code } });
  });

  it("answers 413 to a body over 16 KiB", async () => {
    const response = await activate({ user_id: "u", padding: "x".repeat(20_000) }, withSecret);
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ error: { code: "payload_too_large" } });
  });

  it("answers 413 to a chunked body over 16 KiB, which declares no Content-Length", async () => {
    // GIVEN a body streamed in 4 KiB chunks, 64 KiB in all, without a Content-Length
    let chunks = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (chunks++ === 16) return controller.close();
        controller.enqueue(new Uint8Array(4096).fill(32));
      },
    });
    const request = new Request(new URL(URL_PATH, "https://app.test"), {
      method: "POST",
      body,
      duplex: "half",
      headers: { authorization: withSecret.authorization, "content-type": "application/json" },
    } as RequestInit);
    // WHEN it is posted
    const response = await callApi(activateRoute, request);
    // THEN 413 in the API's shape, and the connection is closed rather than read to the end
    expect(response.status).toBe(413);
    expect(response.headers.get("connection")).toBe("close");
    expect(response.body).toEqual({
      error: { code: "payload_too_large", message: "The request body exceeds 16384 bytes." },
    });
    expect(chunks).toBeLessThan(16);
  });
});
