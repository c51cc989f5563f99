// Erasure and export of one referred user (the model, the capability and `npm run privacy`),
// against the real database.
import { describe, expect, it } from "vitest";

import { runPrivacyCommand } from "~/cli/privacy.server";
import { db } from "~/db.server";
import { anonymizeUserId } from "~/lib/infra/keyed-hash.server";
import { renderMetrics } from "~/lib/infra/metrics.server";
import { eraseUser } from "~/lib/privacy/erasure.server";
import { exportUser } from "~/lib/privacy/export.server";
import { recordReferralClick } from "~/models/referral-clicks.server";
import { getReferralsForStore } from "~/models/referral-listing.server";
import { markReferralActive, recordReferralSignup } from "~/models/referral-signups.server";
import { getStoreReferralStats } from "~/models/referral-stats.server";
import { claimReferralSource } from "~/models/user-referral-source.server";
import { createTestStore, uniqueUserId, uniqueVisitor } from "~/test/builders";

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runPrivacyCommand(argv, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** A store with one referred user who clicked (with UTM values), signed up and became active. */
async function referredUser() {
  const store = await createTestStore();
  const userId = uniqueUserId();
  const click = await recordReferralClick({
    referralCode: store.referralCode,
    visitorHash: uniqueVisitor(),
    utmParams: { utm_source: "news" },
    sourceUrl: `https://syntropyhealth.bio/?ref=${store.referralCode}&utm_source=news`,
  });
  if (!click.recorded) throw new Error("click not recorded");
  await recordReferralSignup({ referralCode: store.referralCode, userId, clickId: click.clickId });
  await claimReferralSource({ userId, referralCode: store.referralCode });
  await markReferralActive({ userId });
  await db.prisma.store.update({ where: { id: store.id }, data: { clerkOwnerId: userId } });
  return { store, userId, clickId: click.clickId };
}

/** Every row of every table, as text: where a user id (or its label) could hide. */
async function wholeDatabaseText() {
  const { rows } = await db.pool.query<{ dump: string }>(
    `SELECT string_agg(t::text, E'\\n') AS dump FROM (
       SELECT to_jsonb(r)::text AS t FROM "StoreReferral" r
       UNION ALL SELECT to_jsonb(s)::text FROM "UserReferralSource" s
       UNION ALL SELECT to_jsonb(st)::text FROM "Store" st
       UNION ALL SELECT to_jsonb(d)::text FROM "StoreDailyStat" d
       UNION ALL SELECT to_jsonb(w)::text FROM "InboundWebhookDelivery" w
       UNION ALL SELECT to_jsonb(k)::text FROM "ApiKey" k
       UNION ALL SELECT to_jsonb(u)::text FROM "DemoUser" u
       UNION ALL SELECT to_jsonb(x)::text FROM "Session" x) all_rows`,
  );
  return rows[0]!.dump ?? "";
}

describe("erasing a referred user", () => {
  it("removes the id everywhere, keeps the referral as an anonymous, counted event", async () => {
    // GIVEN an active referred user who also owns a store
    const { store, userId, clickId } = await referredUser();
    const statsBefore = await getStoreReferralStats({ storeId: store.id });
    // WHEN the user is erased
    const erasure = await eraseUser({ userId, trigger: "operator" });
    // THEN the id is nowhere in the database, nor its display label
    expect(erasure).toEqual({
      found: true,
      referralsAnonymised: 1,
      referralSourcesDeleted: 1,
      storeOwnersUnlinked: 1,
    });
    const everything = await wholeDatabaseText();
    expect(everything).not.toContain(userId);
    expect(everything).not.toContain(anonymizeUserId(userId));
    // AND the row stays, marked erased, without what could link it to the person's clicks
    const row = await db.prisma.storeReferral.findUniqueOrThrow({ where: { id: clickId } });
    expect(row).toMatchObject({
      status: "active",
      referredUserId: null,
      visitorHash: null,
      clickBucket: null,
      utmParams: { utm_source: "news" },
    });
    expect(row.erasedAt).toBeInstanceOf(Date);
    // AND the store's figures do not change
    expect(await getStoreReferralStats({ storeId: store.id })).toEqual(statsBefore);
    // AND the listing shows the event without a user label
    const listed = await getReferralsForStore({ storeId: store.id });
    expect(listed.items.map((event) => [event.id, event.referredUser])).toEqual([[clickId, null]]);
  });

  it("is the same state when erased twice", async () => {
    const { userId, clickId } = await referredUser();
    await eraseUser({ userId, trigger: "operator" });
    const first = await db.prisma.storeReferral.findUniqueOrThrow({ where: { id: clickId } });
    const again = await eraseUser({ userId, trigger: "operator" });
    expect(again).toEqual({
      found: false,
      referralsAnonymised: 0,
      referralSourcesDeleted: 0,
      storeOwnersUnlinked: 0,
    });
    expect(await db.prisma.storeReferral.findUniqueOrThrow({ where: { id: clickId } })).toEqual(
      first,
    );
  });

  it("erases a user who was never referred (a generic referral source only)", async () => {
    const userId = uniqueUserId();
    await claimReferralSource({ userId, referralCode: "friend-code" });
    expect(await eraseUser({ userId, trigger: "operator" })).toMatchObject({
      found: true,
      referralsAnonymised: 0,
      referralSourcesDeleted: 1,
    });
    expect(await db.prisma.userReferralSource.findUnique({ where: { userId } })).toBeNull();
  });

  it("leaves every other user's rows alone", async () => {
    const erased = await referredUser();
    const kept = await referredUser();
    await eraseUser({ userId: erased.userId, trigger: "operator" });
    expect(
      await db.prisma.storeReferral.findUniqueOrThrow({ where: { id: kept.clickId } }),
    ).toMatchObject({ referredUserId: kept.userId, erasedAt: null });
    expect(
      await db.prisma.userReferralSource.findUnique({ where: { userId: kept.userId } }),
    ).not.toBeNull();
  });

  it("counts erasures in /metrics, without any user id", async () => {
    const { userId } = await referredUser();
    await eraseUser({ userId, trigger: "operator" });
    const metrics = renderMetrics();
    expect(metrics).toMatch(/privacy_user_erasures_total\{found="true",trigger="operator"\} \d+/);
    expect(metrics).not.toContain(userId);
  });
});

describe("exporting a user", () => {
  it("lists every row stored about the user", async () => {
    const { store, userId, clickId } = await referredUser();
    const exported = await exportUser({ userId });
    expect(exported).toMatchObject({
      userId,
      found: true,
      displayLabel: anonymizeUserId(userId),
      referralSource: { referralCode: store.referralCode },
      referrals: [
        {
          id: clickId,
          store: { shopDomain: store.shopDomain, name: store.name },
          status: "active",
          utmParams: { utm_source: "news" },
        },
      ],
      storesOwned: [{ shopDomain: store.shopDomain }],
    });
  });

  it("includes the sign-up quality record; erasure clears the staff's note, keeps the codes", async () => {
    // GIVEN a referred user whose sign-up was flagged and rejected with a note about them
    const { userId, clickId } = await referredUser();
    await db.prisma.storeReferral.update({
      where: { id: clickId },
      data: {
        adClickIds: ["gclid"],
        flagReasons: ["disposable_email"],
        review: "rejected",
        reviewedAt: new Date("2026-11-30T10:00:00Z"),
        reviewNote: "Same person as the owner, Jane",
      },
    });
    // WHEN the user's data is exported
    // THEN the export shows the quality record, note included
    expect((await exportUser({ userId })).referrals[0]!.quality).toEqual({
      adClickIds: ["gclid"],
      flagReasons: ["disposable_email"],
      checksNotRun: [],
      review: "rejected",
      reviewedAt: "2026-11-30T10:00:00.000Z",
      reviewNote: "Same person as the owner, Jane",
    });
    // AND after erasure the anonymous event keeps the codes and the review, not the note
    await eraseUser({ userId, trigger: "operator" });
    expect(
      await db.prisma.storeReferral.findUniqueOrThrow({ where: { id: clickId } }),
    ).toMatchObject({ flagReasons: ["disposable_email"], review: "rejected", reviewNote: null });
  });

  it("lists nothing for an erased user", async () => {
    const { userId } = await referredUser();
    await eraseUser({ userId, trigger: "operator" });
    expect(await exportUser({ userId })).toMatchObject({
      found: false,
      displayLabel: null,
      referralSource: null,
      referrals: [],
      storesOwned: [],
    });
  });
});

describe("npm run privacy", () => {
  it("export-user prints the JSON export (exit 0)", async () => {
    const { userId } = await referredUser();
    const result = await run("export-user", userId);
    expect(result).toMatchObject({ code: 0, err: "" });
    expect(JSON.parse(result.out)).toMatchObject({ userId, found: true });
  });

  it("erase-user erases (exit 0), and says so when there is nothing left (exit 0)", async () => {
    const { userId } = await referredUser();
    const first = await run("erase-user", userId);
    expect(first).toMatchObject({ code: 0, err: "" });
    expect(first.out).toContain(`Erased ${userId}`);
    const second = await run("erase-user", userId);
    expect(second.code).toBe(0);
    expect(second.out).toContain("nothing to erase");
    expect(JSON.parse((await run("export-user", userId)).out)).toMatchObject({ found: false });
  });

  it.each([
    [[]],
    [["erase-user"]],
    [["erase-user", "jane@example.com"]],
    [["erase-user", "user_1' OR '1'='1"]],
    [["export-user", "user_abc", "extra"]],
    [["forget", "user_abc"]],
    [["erase-user", "--all"]],
  ])("refuses %j with the usage (exit 2), changing nothing", async (argv) => {
    const rowsBefore = await db.prisma.storeReferral.count({ where: { erasedAt: { not: null } } });
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(`${result.out}${result.err}`).toContain("Usage: npm run privacy");
    expect(await db.prisma.storeReferral.count({ where: { erasedAt: { not: null } } })).toBe(
      rowsBefore,
    );
  });
});
