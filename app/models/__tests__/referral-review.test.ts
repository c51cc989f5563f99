// Reviewing flagged sign-ups against PostgreSQL: each transition, repeated and parallel reviews,
// and the rollup (flagged, rejected, qualified) staying exact and per store.
import { describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { listFlaggedReferrals, reviewFlaggedReferral } from "~/models/referral-review.server";
import { recordReferralSignup } from "~/models/referral-signups.server";
import { getStoreReferralTotals } from "~/models/referral-stats.server";
import { createTestStore, uniqueUserId } from "~/test/builders";

type TestStore = Awaited<ReturnType<typeof createTestStore>>;

async function flaggedSignup(store: TestStore, reasons = ["disposable_email"]) {
  const signup = await recordReferralSignup({
    referralCode: store.referralCode,
    userId: uniqueUserId(),
    quality: { flagReasons: reasons, checksNotRun: [] },
  });
  return signup.referralId!;
}

async function cleanSignup(store: TestStore) {
  const signup = await recordReferralSignup({
    referralCode: store.referralCode,
    userId: uniqueUserId(),
    quality: { flagReasons: [], checksNotRun: ["self_referral"] },
  });
  return signup.referralId!;
}

async function counts(store: TestStore) {
  const totals = await getStoreReferralTotals({ storeId: store.id });
  return {
    signups: totals.totalSignups,
    flagged: totals.flaggedSignups,
    rejected: totals.rejectedSignups,
    qualified: totals.qualifiedSignups,
  };
}

/** The counts recomputed from the rows themselves: the rollup must agree with them. */
async function countsFromRows(store: TestStore) {
  const rows = await db.prisma.storeReferral.findMany({
    where: { storeId: store.id, signedUpAt: { not: null } },
    select: { review: true },
  });
  const flagged = rows.filter((row) => row.review === "flagged").length;
  const rejected = rows.filter((row) => row.review === "rejected").length;
  return { signups: rows.length, flagged, rejected, qualified: rows.length - flagged - rejected };
}

describe("recording a checked sign-up", () => {
  it("holds a flagged sign-up for review with its reason codes; a clean one counts at once", async () => {
    // GIVEN a store
    const store = await createTestStore();
    // WHEN one sign-up is flagged and one is clean (with a check that could not run)
    const flagged = await flaggedSignup(store, ["self_referral_domain", "repeat_visitor"]);
    const clean = await cleanSignup(store);
    // THEN the flagged one awaits review with its codes, the clean one is not flagged
    const rows = await db.prisma.storeReferral.findMany({ where: { storeId: store.id } });
    expect(rows.find((row) => row.id === flagged)).toMatchObject({
      status: "signed_up",
      review: "flagged",
      flagReasons: ["self_referral_domain", "repeat_visitor"],
    });
    expect(rows.find((row) => row.id === clean)).toMatchObject({
      review: null,
      flagReasons: [],
      checksNotRun: ["self_referral"],
    });
    // AND both count as sign-ups, only the clean one as qualified
    expect(await counts(store)).toEqual({ signups: 2, flagged: 1, rejected: 0, qualified: 1 });
  });
});

describe("reviewFlaggedReferral", () => {
  it("approves a flagged sign-up: it counts as qualified", async () => {
    const store = await createTestStore();
    const id = await flaggedSignup(store);
    const result = await reviewFlaggedReferral({ referralId: id, decision: "approved" });
    expect(result).toEqual({
      outcome: "reviewed",
      from: "flagged",
      to: "approved",
      storeId: store.id,
    });
    expect(await counts(store)).toEqual({ signups: 1, flagged: 0, rejected: 0, qualified: 1 });
    expect(await db.prisma.storeReferral.findUniqueOrThrow({ where: { id } })).toMatchObject({
      review: "approved",
      reviewedAt: expect.any(Date),
      reviewNote: null,
    });
  });

  it("rejects a flagged sign-up with the reason: it leaves the qualified count", async () => {
    const store = await createTestStore();
    const id = await flaggedSignup(store);
    await cleanSignup(store);
    const result = await reviewFlaggedReferral({
      referralId: id,
      decision: "rejected",
      note: "Owner's test account",
    });
    expect(result).toMatchObject({ outcome: "reviewed", from: "flagged", to: "rejected" });
    expect(await counts(store)).toEqual({ signups: 2, flagged: 0, rejected: 1, qualified: 1 });
    expect(await db.prisma.storeReferral.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "signed_up",
      review: "rejected",
      reviewNote: "Owner's test account",
    });
  });

  it("approving twice changes nothing the second time", async () => {
    const store = await createTestStore();
    const id = await flaggedSignup(store);
    await reviewFlaggedReferral({ referralId: id, decision: "approved" });
    const again = await reviewFlaggedReferral({ referralId: id, decision: "approved" });
    expect(again).toEqual({ outcome: "unchanged", review: "approved", storeId: store.id });
    expect(await counts(store)).toEqual({ signups: 1, flagged: 0, rejected: 0, qualified: 1 });
  });

  it("lets a reviewer correct a decision both ways, the counts following", async () => {
    const store = await createTestStore();
    const id = await flaggedSignup(store);
    await reviewFlaggedReferral({ referralId: id, decision: "rejected", note: "Looks fake" });
    expect(await counts(store)).toMatchObject({ rejected: 1, qualified: 0 });
    expect(await reviewFlaggedReferral({ referralId: id, decision: "approved" })).toMatchObject({
      outcome: "reviewed",
      from: "rejected",
    });
    expect(await counts(store)).toEqual({ signups: 1, flagged: 0, rejected: 0, qualified: 1 });
    await reviewFlaggedReferral({ referralId: id, decision: "rejected", note: "After all" });
    expect(await counts(store)).toEqual({ signups: 1, flagged: 0, rejected: 1, qualified: 0 });
  });

  it("refuses a sign-up no check flagged, and changes nothing", async () => {
    const store = await createTestStore();
    const id = await cleanSignup(store);
    expect(
      await reviewFlaggedReferral({ referralId: id, decision: "rejected", note: "x" }),
    ).toEqual({ outcome: "not_flagged", storeId: store.id });
    expect(await db.prisma.storeReferral.findUniqueOrThrow({ where: { id } })).toMatchObject({
      review: null,
      reviewNote: null,
    });
    expect(await counts(store)).toEqual({ signups: 1, flagged: 0, rejected: 0, qualified: 1 });
  });

  it("answers not_found for an unknown or malformed id", async () => {
    expect(
      await reviewFlaggedReferral({
        referralId: "01939b4e-0000-7000-8000-000000000000",
        decision: "approved",
      }),
    ).toEqual({ outcome: "not_found" });
    expect(await reviewFlaggedReferral({ referralId: "'; DROP", decision: "approved" })).toEqual({
      outcome: "not_found",
    });
  });

  it("moves the counts once under 20 parallel reviews of one sign-up", async () => {
    // GIVEN a flagged sign-up
    const store = await createTestStore();
    const id = await flaggedSignup(store);
    // WHEN 20 reviewers reject it at once
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        reviewFlaggedReferral({ referralId: id, decision: "rejected", note: "Duplicate" }),
      ),
    );
    // THEN one of them changed it, and the rollup agrees with the rows
    expect(results.filter((result) => result.outcome === "reviewed")).toHaveLength(1);
    expect(await counts(store)).toEqual(await countsFromRows(store));
    expect(await counts(store)).toEqual({ signups: 1, flagged: 0, rejected: 1, qualified: 0 });
  });

  it("changes only the reviewed store's counts (cross-store isolation)", async () => {
    const storeA = await createTestStore();
    const storeB = await createTestStore();
    const idA = await flaggedSignup(storeA);
    await flaggedSignup(storeB);
    await reviewFlaggedReferral({ referralId: idA, decision: "rejected", note: "Fraud" });
    expect(await counts(storeA)).toEqual({ signups: 1, flagged: 0, rejected: 1, qualified: 0 });
    expect(await counts(storeB)).toEqual({ signups: 1, flagged: 1, rejected: 0, qualified: 0 });
  });

  it("counts a review on the sign-up's own day, so the daily rollup agrees with the rows", async () => {
    // GIVEN a sign-up flagged three days ago (its day row moved with it)
    const store = await createTestStore();
    const id = await flaggedSignup(store);
    await db.pool.query(
      `WITH moved AS (
         UPDATE "StoreReferral" SET "signedUpAt" = "signedUpAt" - interval '3 days',
                                    "createdAt" = "createdAt" - interval '3 days'
          WHERE "id" = $1 RETURNING "storeId")
       UPDATE "StoreDailyStat" SET "day" = "day" - 3 WHERE "storeId" = (SELECT "storeId" FROM moved)`,
      [id],
    );
    // WHEN it is rejected today
    await reviewFlaggedReferral({ referralId: id, decision: "rejected", note: "Old fraud" });
    // THEN the rejection counts on the sign-up's day, not today's
    const days = await db.prisma.storeDailyStat.findMany({ where: { storeId: store.id } });
    expect(days).toHaveLength(1);
    expect(days[0]).toMatchObject({ signups: 1, flaggedSignups: 0, rejectedSignups: 1 });
  });
});

describe("listFlaggedReferrals", () => {
  it("lists the sign-ups awaiting review, oldest first, for one store or all", async () => {
    const storeA = await createTestStore();
    const storeB = await createTestStore();
    const first = await flaggedSignup(storeA, ["signup_burst"]);
    const reviewed = await flaggedSignup(storeA);
    const otherStore = await flaggedSignup(storeB);
    await cleanSignup(storeA);
    await reviewFlaggedReferral({ referralId: reviewed, decision: "approved" });

    const ofA = await listFlaggedReferrals({ shopDomain: storeA.shopDomain });
    expect(ofA.map((referral) => referral.id)).toEqual([first]);
    expect(ofA[0]).toMatchObject({ shopDomain: storeA.shopDomain, flagReasons: ["signup_burst"] });
    const all = (await listFlaggedReferrals()).map((referral) => referral.id);
    expect(all).toEqual(expect.arrayContaining([first, otherStore]));
    expect(all).not.toContain(reviewed);
    const withReviewed = await listFlaggedReferrals({
      shopDomain: storeA.shopDomain,
      includeReviewed: true,
    });
    expect(withReviewed.map((referral) => referral.id)).toEqual([first, reviewed]);
  });
});
