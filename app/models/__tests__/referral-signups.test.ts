import { randomUUID } from "node:crypto";

import pg from "pg";
import { describe, expect, it } from "vitest";

import { db } from "~/db.server";
import {
  findInboundWebhookDelivery,
  processInboundWebhookOnce,
} from "~/models/inbound-webhook.server";
import { recordReferralClick } from "~/models/referral-clicks.server";
import { markReferralActive, recordReferralSignup } from "~/models/referral-signups.server";
import { changeStoreStatus } from "~/models/store.server";
import { createTestStore, uniqueUserId, uniqueVisitor } from "~/test/builders";

async function rollup(storeId: number) {
  const rows = await db.prisma.storeDailyStat.findMany({ where: { storeId } });
  return {
    clicks: rows.reduce((sum, row) => sum + row.clicks, 0),
    signups: rows.reduce((sum, row) => sum + row.signups, 0),
    activations: rows.reduce((sum, row) => sum + row.activations, 0),
  };
}

async function clickOf(referralCode: string) {
  const result = await recordReferralClick({
    referralCode,
    visitorHash: uniqueVisitor(),
  });
  if (!result.recorded) throw new Error("the click was not recorded");
  return result.clickId;
}

describe("recordReferralSignup", () => {
  it("turns the visitor's own unmatched click into a signup", async () => {
    // GIVEN a visitor who clicked a store's link
    const store = await createTestStore();
    const clickId = await clickOf(store.referralCode);
    const userId = uniqueUserId();
    // WHEN they sign up
    const result = await recordReferralSignup({
      referralCode: store.referralCode,
      userId,
      clickId,
    });
    // THEN their click row becomes signed_up, attributed to them; no extra row
    expect(result).toEqual({
      attributed: true,
      storeId: store.id,
      referralId: clickId,
      flagged: false,
    });
    const rows = await db.prisma.storeReferral.findMany({
      where: { storeId: store.id },
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: clickId,
      status: "signed_up",
      referredUserId: userId,
    });
    expect(rows[0]!.signedUpAt).toBeInstanceOf(Date);
    expect(await rollup(store.id)).toEqual({
      clicks: 1,
      signups: 1,
      activations: 0,
    });
  });

  it("creates a signed_up row when there is no click to match", async () => {
    const store = await createTestStore();
    const userId = uniqueUserId();
    const result = await recordReferralSignup({
      referralCode: store.referralCode,
      userId,
    });
    expect(result.attributed).toBe(true);
    const row = await db.prisma.storeReferral.findUniqueOrThrow({
      where: { referredUserId: userId },
    });
    expect(row).toMatchObject({
      storeId: store.id,
      status: "signed_up",
      referralCode: store.referralCode,
    });
    expect(await rollup(store.id)).toEqual({
      clicks: 0,
      signups: 1,
      activations: 0,
    });
  });

  it("never claims a click of another store, or one already signed up", async () => {
    const storeA = await createTestStore();
    const storeB = await createTestStore();
    const clickOfA = await clickOf(storeA.referralCode);
    // A user coming with store B's code cannot claim store A's click id.
    const userB = uniqueUserId();
    await recordReferralSignup({
      referralCode: storeB.referralCode,
      userId: userB,
      clickId: clickOfA,
    });
    expect(
      await db.prisma.storeReferral.findUniqueOrThrow({
        where: { id: clickOfA },
      }),
    ).toMatchObject({ status: "clicked", referredUserId: null });
    // A second user presenting the same click id gets a row of their own.
    const first = uniqueUserId();
    const second = uniqueUserId();
    await recordReferralSignup({
      referralCode: storeA.referralCode,
      userId: first,
      clickId: clickOfA,
    });
    const again = await recordReferralSignup({
      referralCode: storeA.referralCode,
      userId: second,
      clickId: clickOfA,
    });
    expect(again.attributed).toBe(true);
    expect(again.referralId).not.toBe(clickOfA);
    expect(await db.prisma.storeReferral.count({ where: { storeId: storeA.id } })).toBe(2);
  });

  it("attributes the same user once when called again (same user signs up twice with same ref)", async () => {
    const store = await createTestStore();
    const userId = uniqueUserId();
    const clickId = await clickOf(store.referralCode);
    const first = await recordReferralSignup({
      referralCode: store.referralCode,
      userId,
      clickId,
    });
    const second = await recordReferralSignup({
      referralCode: store.referralCode,
      userId,
      clickId,
    });
    const third = await recordReferralSignup({
      referralCode: store.referralCode,
      userId,
    });
    expect(first.attributed).toBe(true);
    expect(second.attributed).toBe(false);
    expect(third.attributed).toBe(false);
    expect(
      await db.prisma.storeReferral.count({
        where: { referredUserId: userId },
      }),
    ).toBe(1);
    expect((await rollup(store.id)).signups).toBe(1);
  });

  it("leaves exactly one row under 50 parallel calls for one user", async () => {
    const store = await createTestStore();
    const userId = uniqueUserId();
    const clickIds = await Promise.all([clickOf(store.referralCode), clickOf(store.referralCode)]);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        recordReferralSignup({
          referralCode: store.referralCode,
          userId,
          // Mix the visitor's two clicks and no click at all.
          clickId: index % 3 === 2 ? null : clickIds[index % 3],
        }),
      ),
    );
    expect(results.filter((result) => result.attributed)).toHaveLength(1);
    expect(
      await db.prisma.storeReferral.count({
        where: { referredUserId: userId },
      }),
    ).toBe(1);
    expect((await rollup(store.id)).signups).toBe(1);
  });

  it("keeps the first store when a user comes back with another store's code", async () => {
    const storeA = await createTestStore();
    const storeB = await createTestStore();
    const userId = uniqueUserId();
    await recordReferralSignup({ referralCode: storeA.referralCode, userId });
    const result = await recordReferralSignup({
      referralCode: storeB.referralCode,
      userId,
    });
    expect(result.attributed).toBe(false);
    expect(
      (
        await db.prisma.storeReferral.findUniqueOrThrow({
          where: { referredUserId: userId },
        })
      ).storeId,
    ).toBe(storeA.id);
    expect(await db.prisma.storeReferral.count({ where: { storeId: storeB.id } })).toBe(0);
  });

  it("does not attribute non-store, invalid, unknown or inactive store codes", async () => {
    const inactive = await createTestStore();
    await changeStoreStatus({
      shopDomain: inactive.shopDomain,
      to: "deactivated",
      actor: "uninstall",
    });
    for (const referralCode of ["friend-code", "!!!", "store-nobody-0000", inactive.referralCode]) {
      const userId = uniqueUserId();
      const result = await recordReferralSignup({ referralCode, userId });
      expect(result).toEqual({
        attributed: false,
        storeId: null,
        referralId: null,
        flagged: false,
      });
      expect(
        await db.prisma.storeReferral.count({
          where: { referredUserId: userId },
        }),
      ).toBe(0);
    }
  });

  it("ignores a click id that is not a UUID", async () => {
    const store = await createTestStore();
    const userId = uniqueUserId();
    const result = await recordReferralSignup({
      referralCode: store.referralCode,
      userId,
      clickId: '\'; DROP TABLE "Store"; --',
    });
    expect(result.attributed).toBe(true);
    expect(await db.prisma.store.count({ where: { id: store.id } })).toBe(1);
  });

  // A second connection that holds a row lock needs a real server (PGlite serves one connection).
  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "inside a transaction, loses a race without aborting it: the transaction still commits",
    async () => {
      // GIVEN a visitor with two clicks, one being claimed for them by another connection
      const store = await createTestStore();
      const userId = uniqueUserId();
      const [mine, theirs] = await Promise.all([
        clickOf(store.referralCode),
        clickOf(store.referralCode),
      ]);
      const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await other.connect();
      try {
        await other.query("BEGIN");
        await other.query(
          `UPDATE "StoreReferral" SET "status" = 'signed_up', "referredUserId" = $1,
                  "signedUpAt" = now() WHERE "id" = $2`,
          [userId, theirs],
        );
        // WHEN a webhook's transaction claims the other click (it waits on the unique index),
        // and the other connection commits first
        const delivery = { source: "clerk" as const, deliveryId: randomUUID(), topic: "t" };
        const processing = processInboundWebhookOnce(delivery, (client) =>
          recordReferralSignup({ referralCode: store.referralCode, userId, clickId: mine }, client),
        );
        await waitForALockWait(other);
        await other.query("COMMIT");
        // THEN the signup is not attributed twice, and the transaction's own work is committed
        expect(await processing).toEqual({
          duplicate: false,
          result: { attributed: false, storeId: null, referralId: null, flagged: false },
        });
        expect(await findInboundWebhookDelivery(delivery)).not.toBeNull();
        expect(
          await db.prisma.storeReferral.findUniqueOrThrow({ where: { id: mine } }),
        ).toMatchObject({ status: "clicked", referredUserId: null });
      } finally {
        await other.end();
      }
    },
  );
});

async function waitForALockWait(client: pg.Client) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { rows } = await client.query(
      `SELECT 1 FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("The transaction never waited for the other connection's lock");
}

describe("markReferralActive", () => {
  it("marks a referred user active once and counts the activation", async () => {
    const store = await createTestStore();
    const userId = uniqueUserId();
    await recordReferralSignup({ referralCode: store.referralCode, userId });
    const first = await markReferralActive({ userId });
    const repeat = await markReferralActive({ userId });
    expect(first).toMatchObject({ outcome: "activated", storeId: store.id });
    expect(repeat).toMatchObject({
      outcome: "already_active",
      storeId: store.id,
    });
    const row = await db.prisma.storeReferral.findUniqueOrThrow({
      where: { referredUserId: userId },
    });
    expect(row.status).toBe("active");
    expect(row.activatedAt).toBeInstanceOf(Date);
    expect((await rollup(store.id)).activations).toBe(1);
  });

  it("reports an unknown user, and a user of another store when limited to one store", async () => {
    const storeA = await createTestStore();
    const storeB = await createTestStore();
    const userId = uniqueUserId();
    await recordReferralSignup({ referralCode: storeA.referralCode, userId });
    expect(await markReferralActive({ userId: uniqueUserId() })).toEqual({
      outcome: "not_found",
    });
    expect(await markReferralActive({ userId, storeId: storeB.id })).toEqual({
      outcome: "not_found",
    });
    expect(
      (
        await db.prisma.storeReferral.findUniqueOrThrow({
          where: { referredUserId: userId },
        })
      ).status,
    ).toBe("signed_up");
  });
});
