// Each attribution step is isolated: Clerk's API, PostgreSQL or PostHog failing is logged and
// the user still lands signed up, with whatever steps could run done.

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { resetEnvForTests } from "~/env.server";
import { shutdownAnalytics } from "~/lib/analytics/posthog.server";
import { anonymizeUserId } from "~/lib/infra/keyed-hash.server";
import { usePostHogFake } from "~/test/analytics";
import { createTestStore, uniqueUserId } from "~/test/builders";
import {
  clerkSessionCookies,
  configureClerk,
  startFakeClerk,
  unconfigureClerk,
  type FakeClerk,
} from "~/test/fakes/clerk";
import { takeLoggedErrors } from "~/test/logs";
import { completeSignup, cookiesAfterFollowing } from "~/test/signup";
import { closedPort, useDatabase } from "~/test/faults";

const posthog = usePostHogFake();
const workingDatabaseUrl = process.env.DATABASE_URL;
let clerk: FakeClerk;

beforeAll(async () => {
  clerk = await startFakeClerk();
  configureClerk({ apiUrl: clerk.url });
});

afterEach(async () => {
  clerk.failing = false;
});

afterAll(async () => {
  unconfigureClerk();
  await clerk.close();
});

function failedSteps() {
  return takeLoggedErrors()
    .filter((entry) => entry.event === "signup_attribution.step_failed")
    .map((entry) => entry.step);
}

describe("GET /auth/complete when a service fails", () => {
  it("lands the user signed up and still credits the store when Clerk's API fails", async () => {
    // GIVEN a referred user, and Clerk's Backend API answering 500
    const store = await createTestStore();
    const referralCookies = await cookiesAfterFollowing(store.referralCode);
    const userId = uniqueUserId();
    clerk.addUser(userId);
    clerk.failing = true;
    // WHEN they complete the signup
    const response = await completeSignup(`${clerkSessionCookies(userId)}; ${referralCookies}`);
    // THEN they land on /welcome; the store signup is recorded; the failure is logged
    expect(response.headers.get("location")).toBe("/welcome");
    const logged = takeLoggedErrors();
    expect(
      logged.filter((entry) => entry.event === "signup_attribution.step_failed"),
    ).toMatchObject([{ step: "identity_read", user: anonymizeUserId(userId) }]);
    // AND the log names the user by the admin's anonymous label, never by the Clerk id
    expect(JSON.stringify(logged)).not.toContain(userId);
    const rows = await db.prisma.storeReferral.findMany({ where: { storeId: store.id } });
    expect(rows.map((row) => [row.status, row.referredUserId])).toEqual([["signed_up", userId]]);
    // AND nothing was written to a Clerk record it could not read
    expect(clerk.metadataUpdates(userId)).toEqual([]);
    // AND the events fire: this app's claim says the referral is new
    expect(
      (await posthog.received((event) => event.distinctId === userId)).map(({ event }) => event),
    ).toEqual(["REFERRAL_SIGNUP_COMPLETED", "STORE_REFERRAL_SIGNUP"]);
  });

  it("writes Clerk's metadata on the next attribution once Clerk is back", async () => {
    const store = await createTestStore();
    const userId = uniqueUserId();
    clerk.addUser(userId);
    const cookie = `${clerkSessionCookies(userId)}; ref=${store.referralCode}`;
    clerk.failing = true;
    await completeSignup(cookie);
    takeLoggedErrors();
    clerk.failing = false;
    await completeSignup(cookie);
    expect(clerk.users.get(userId)!.public_metadata).toEqual({
      referral_source: store.referralCode,
    });
    expect(
      (await posthog.received((event) => event.distinctId === userId)).map(({ event }) => event),
    ).toEqual(["REFERRAL_SIGNUP_COMPLETED", "STORE_REFERRAL_SIGNUP"]);
  });

  it("lands the user signed up and still sets referral_source when PostgreSQL is down", async () => {
    const store = await createTestStore();
    const userId = uniqueUserId();
    clerk.addUser(userId);
    await useDatabase(`postgresql://postgres@127.0.0.1:${await closedPort()}/postgres`);
    try {
      const response = await completeSignup(
        `${clerkSessionCookies(userId)}; ref=${store.referralCode}`,
      );
      expect(response.headers.get("location")).toBe("/welcome");
      expect(failedSteps()).toEqual(["referral_source_claim", "store_signup"]);
      expect(clerk.users.get(userId)!.public_metadata).toEqual({
        referral_source: store.referralCode,
      });
    } finally {
      await useDatabase(workingDatabaseUrl);
    }
    // The store signup is not recorded now; Clerk's user.created webhook will retry it.
    expect(await db.prisma.storeReferral.count({ where: { referredUserId: userId } })).toBe(0);
    expect(
      (await posthog.received((event) => event.distinctId === userId)).map(({ event }) => event),
    ).toEqual(["REFERRAL_SIGNUP_COMPLETED"]);
  });

  it("lands the user signed up and attributed when PostHog is unreachable", async () => {
    const store = await createTestStore();
    const userId = uniqueUserId();
    clerk.addUser(userId);
    await shutdownAnalytics();
    const fakePostHogHost = process.env.POSTHOG_HOST;
    process.env.POSTHOG_HOST = `http://127.0.0.1:${await closedPort()}`;
    resetEnvForTests();
    try {
      const response = await completeSignup(
        `${clerkSessionCookies(userId)}; ref=${store.referralCode}`,
      );
      expect(response.headers.get("location")).toBe("/welcome");
      expect(await db.prisma.storeReferral.count({ where: { referredUserId: userId } })).toBe(1);
      await shutdownAnalytics({ timeoutMs: 200 });
      expect(takeLoggedErrors().map((entry) => String(entry.message))).toEqual([
        expect.stringContaining("Timeout while shutting down PostHog"),
      ]);
    } finally {
      process.env.POSTHOG_HOST = fakePostHogHost;
      resetEnvForTests();
    }
  });
});
