// /auth/complete with Clerk: session tokens verified offline (test RSA key), the Backend API
// and PostHog faked on loopback.
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { signClickId, verifyClickId } from "~/lib/referral-links/cookie.server";
import { usePostHogFake } from "~/test/analytics";
import { createTestStore, uniqueUserId } from "~/test/builders";
import {
  clerkSessionCookies,
  configureClerk,
  startFakeClerk,
  unconfigureClerk,
  type FakeClerk,
} from "~/test/fakes/clerk";
import { setCookiesOf } from "~/test/shopper";
import { completeSignup, cookiesAfterFollowing } from "~/test/signup";

const posthog = usePostHogFake();
let clerk: FakeClerk;

beforeAll(async () => {
  clerk = await startFakeClerk();
  configureClerk({ apiUrl: clerk.url });
});

afterAll(async () => {
  unconfigureClerk();
  await clerk.close();
});

function eventsOf(userId: string) {
  return posthog.received((event) => event.distinctId === userId);
}

function clickIdIn(cookie: string) {
  return verifyClickId(/ref_click=([^;]+)/.exec(cookie)?.[1]);
}

describe("GET /auth/complete (Clerk)", () => {
  it("attributes a store referral once: the click becomes the signup, referral_source is set, both events fire", async () => {
    // GIVEN a shopper who followed a store's link, then signed up with Clerk
    const store = await createTestStore();
    const referralCookies = await cookiesAfterFollowing(store.referralCode);
    const userId = uniqueUserId();
    clerk.addUser(userId, { public: { plan: "free" } });
    // WHEN Clerk sends them to /auth/complete
    const response = await completeSignup(`${clerkSessionCookies(userId)}; ${referralCookies}`);
    // THEN they land on the post-signup page with both referral cookies cleared
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/welcome");
    expect(
      setCookiesOf(response).map(({ name, value, attributes }) => [name, value, attributes[0]]),
    ).toEqual([
      ["ref", "", "Max-Age=0"],
      ["ref_click", "", "Max-Age=0"],
    ]);
    // AND their own click became the signup
    const rows = await db.prisma.storeReferral.findMany({ where: { storeId: store.id } });
    expect(rows.map((row) => [row.id, row.status, row.referredUserId])).toEqual([
      [clickIdIn(referralCookies), "signed_up", userId],
    ]);
    // AND Clerk's public metadata got referral_source, other keys kept
    expect(clerk.users.get(userId)!.public_metadata).toEqual({
      plan: "free",
      referral_source: store.referralCode,
    });
    expect(clerk.metadataUpdates(userId)).toEqual([
      { public_metadata: { referral_source: store.referralCode } },
    ]);
    // AND PostHog received exactly the two signup events
    expect(await eventsOf(userId)).toEqual([
      {
        event: "REFERRAL_SIGNUP_COMPLETED",
        distinctId: userId,
        properties: {
          referral_source: store.referralCode,
          attribution_path: "redirect",
          $process_person_profile: false,
        },
      },
      {
        event: "STORE_REFERRAL_SIGNUP",
        distinctId: userId,
        properties: {
          referral_code: store.referralCode,
          store_id: store.id,
          attribution_path: "redirect",
          $process_person_profile: false,
        },
      },
    ]);
  });

  it("keeps a generic code as referral_source only: no StoreReferral row, no store event", async () => {
    const code = `friend-${randomUUID().slice(0, 8)}`;
    const userId = uniqueUserId();
    clerk.addUser(userId);
    const response = await completeSignup(`${clerkSessionCookies(userId)}; ref=${code}`);
    expect(response.headers.get("location")).toBe("/welcome");
    expect(clerk.users.get(userId)!.public_metadata).toEqual({ referral_source: code });
    expect(await db.prisma.storeReferral.count({ where: { referredUserId: userId } })).toBe(0);
    expect((await eventsOf(userId)).map(({ event }) => event)).toEqual([
      "REFERRAL_SIGNUP_COMPLETED",
    ]);
  });

  it("never overwrites an earlier referral_source (the first referral wins)", async () => {
    // GIVEN a user whose Clerk record already names a referral
    const store = await createTestStore();
    const userId = uniqueUserId();
    clerk.addUser(userId, { public: { referral_source: "friend-earlier" } });
    // WHEN they complete a signup carrying a store's code
    await completeSignup(`${clerkSessionCookies(userId)}; ref=${store.referralCode}`);
    // THEN nothing is written, nothing fires, and the store is not credited
    expect(clerk.users.get(userId)!.public_metadata).toEqual({ referral_source: "friend-earlier" });
    expect(clerk.metadataUpdates(userId)).toEqual([]);
    expect(await eventsOf(userId)).toEqual([]);
    expect(await db.prisma.storeReferral.count({ where: { storeId: store.id } })).toBe(0);
  });

  it("changes nothing when reloaded, with or without the cookies", async () => {
    const store = await createTestStore();
    const referralCookies = await cookiesAfterFollowing(store.referralCode);
    const userId = uniqueUserId();
    clerk.addUser(userId);
    const session = clerkSessionCookies(userId);
    await completeSignup(`${session}; ${referralCookies}`);
    // WHEN the page is reloaded (cookies cleared), and again from a tab that still had them
    const reload = await completeSignup(session);
    const staleTab = await completeSignup(`${session}; ${referralCookies}`);
    // THEN both land on /welcome and nothing more is written or fired
    expect([reload, staleTab].map((response) => response.headers.get("location"))).toEqual([
      "/welcome",
      "/welcome",
    ]);
    expect(await db.prisma.storeReferral.count({ where: { storeId: store.id } })).toBe(1);
    expect(clerk.metadataUpdates(userId)).toHaveLength(1);
    expect((await eventsOf(userId)).map(({ event }) => event)).toEqual([
      "REFERRAL_SIGNUP_COMPLETED",
      "STORE_REFERRAL_SIGNUP",
    ]);
  });

  it("records the signup as its own row when the click cookie is forged", async () => {
    // GIVEN another visitor's click, and a cookie naming it with a made-up signature
    const store = await createTestStore();
    const othersClick = clickIdIn(await cookiesAfterFollowing(store.referralCode))!;
    const forged = `${othersClick}.${signClickId(randomUUID()).split(".")[1]}`;
    const userId = uniqueUserId();
    clerk.addUser(userId);
    // WHEN the user completes the signup
    await completeSignup(
      `${clerkSessionCookies(userId)}; ref=${store.referralCode}; ref_click=${forged}`,
    );
    // THEN the other visitor's click stays theirs; the signup is a row of its own
    const rows = await db.prisma.storeReferral.findMany({
      where: { storeId: store.id },
      orderBy: { createdAt: "asc" },
    });
    expect(rows.map((row) => [row.id === othersClick, row.status, row.referredUserId])).toEqual([
      [true, "clicked", null],
      [false, "signed_up", userId],
    ]);
  });

  it("attributes the signup when another cookie of the site holds a malformed escape (%80)", async () => {
    // GIVEN a referred user whose browser also carries a cookie Clerk cannot decode
    const store = await createTestStore();
    const referralCookies = await cookiesAfterFollowing(store.referralCode);
    const userId = uniqueUserId();
    clerk.addUser(userId);
    // WHEN Clerk sends them to /auth/complete
    const response = await completeSignup(
      `_tracker=%80%ZZ; ${clerkSessionCookies(userId)}; ${referralCookies}`,
    );
    // THEN the signup is attributed as usual (the odd cookie is ignored, not a 500)
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/welcome");
    const rows = await db.prisma.storeReferral.findMany({ where: { storeId: store.id } });
    expect(rows.map((row) => [row.status, row.referredUserId])).toEqual([["signed_up", userId]]);
  });

  it("sends a visitor who is not signed in to sign in, keeping the referral cookies", async () => {
    const store = await createTestStore();
    const response = await completeSignup(`ref=${store.referralCode}`);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/sign-in?redirect_url=%2Fauth%2Fcomplete");
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("does not take a session token signed by another key for a signed-in user", async () => {
    const store = await createTestStore();
    const userId = uniqueUserId();
    clerk.addUser(userId);
    const response = await completeSignup(
      `${clerkSessionCookies(userId, { signedBy: "another-key" })}; ref=${store.referralCode}`,
    );
    expect(response.headers.get("location")).toBe("/sign-in?redirect_url=%2Fauth%2Fcomplete");
    expect(clerk.metadataUpdates(userId)).toEqual([]);
    expect(await db.prisma.storeReferral.count({ where: { storeId: store.id } })).toBe(0);
  });

  it("does not take a session token minted for another site", async () => {
    const userId = uniqueUserId();
    clerk.addUser(userId);
    const response = await completeSignup(
      `${clerkSessionCookies(userId, { azp: "https://evil.example" })}; ref=friend-code`,
    );
    expect(response.headers.get("location")).toBe("/sign-in?redirect_url=%2Fauth%2Fcomplete");
  });

  it("attributes 50 parallel calls for one user exactly once", async () => {
    // GIVEN a referred user whose browser fires /auth/complete 50 times at once
    const store = await createTestStore();
    const referralCookies = await cookiesAfterFollowing(store.referralCode);
    const userId = uniqueUserId();
    clerk.addUser(userId);
    const cookie = `${clerkSessionCookies(userId)}; ${referralCookies}`;
    const responses = await Promise.all(Array.from({ length: 50 }, () => completeSignup(cookie)));
    // THEN every call lands on /welcome; one row, one referral_source, one event of each
    expect(new Set(responses.map((response) => response.headers.get("location")))).toEqual(
      new Set(["/welcome"]),
    );
    const rows = await db.prisma.storeReferral.findMany({ where: { storeId: store.id } });
    expect(rows.map((row) => [row.id, row.status, row.referredUserId])).toEqual([
      [clickIdIn(referralCookies), "signed_up", userId],
    ]);
    const stats = await db.prisma.storeDailyStat.findMany({ where: { storeId: store.id } });
    expect(stats.reduce((sum, day) => sum + day.signups, 0)).toBe(1);
    expect(clerk.users.get(userId)!.public_metadata).toEqual({
      referral_source: store.referralCode,
    });
    expect((await eventsOf(userId)).map(({ event }) => event).sort()).toEqual([
      "REFERRAL_SIGNUP_COMPLETED",
      "STORE_REFERRAL_SIGNUP",
    ]);
  });
});
