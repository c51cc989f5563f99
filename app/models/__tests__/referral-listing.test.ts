import { describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { recordReferralClick } from "~/models/referral-clicks.server";
import {
  countReferralsForStore,
  decodeReferralCursor,
  encodeReferralCursor,
  getReferralsForStore,
  InvalidCursorError,
} from "~/models/referral-listing.server";
import { recordReferralSignup } from "~/models/referral-signups.server";
import { createTestStore, uniqueUserId, uniqueVisitor } from "~/test/builders";

async function seedEvents(storeId: number, referralCode: string, count: number, start: Date) {
  // Distinct timestamps, a second apart, oldest first.
  await db.prisma.storeReferral.createMany({
    data: Array.from({ length: count }, (_, index) => ({
      storeId,
      referralCode,
      status: index % 3 === 0 ? ("signed_up" as const) : ("clicked" as const),
      referredUserId: index % 3 === 0 ? uniqueUserId() : null,
      channel: index % 2 === 0 ? ("link" as const) : ("qr" as const),
      createdAt: new Date(start.getTime() + index * 1000),
    })),
  });
}

describe("getReferralsForStore", () => {
  it("lists a store's events newest first with referred users anonymized", async () => {
    const store = await createTestStore();
    const userId = uniqueUserId();
    await recordReferralClick({
      referralCode: store.referralCode,
      visitorHash: uniqueVisitor(),
    });
    await recordReferralSignup({ referralCode: store.referralCode, userId });
    const { items, nextCursor } = await getReferralsForStore({
      storeId: store.id,
    });
    expect(items).toHaveLength(2);
    expect(nextCursor).toBeNull();
    expect(items[0]!.status).toBe("signed_up");
    expect(items[0]!.referredUser).toMatch(/^user-[0-9a-f]{10}$/);
    expect(JSON.stringify(items)).not.toContain(userId);
    expect(items[1]).toMatchObject({ status: "clicked", referredUser: null });
  });

  it("never returns another store's events", async () => {
    const storeA = await createTestStore();
    const storeB = await createTestStore();
    await recordReferralClick({
      referralCode: storeB.referralCode,
      visitorHash: uniqueVisitor(),
    });
    expect((await getReferralsForStore({ storeId: storeA.id })).items).toEqual([]);
  });

  it("pages with a cursor, stable while new events arrive", async () => {
    // GIVEN 25 events
    const store = await createTestStore();
    await seedEvents(store.id, store.referralCode, 25, new Date("2026-01-01T00:00:00Z"));
    // WHEN reading pages of 10 while new clicks are recorded between pages
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof getReferralsForStore>> = await getReferralsForStore({
        storeId: store.id,
        limit: 10,
        cursor,
      });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages++;
      await recordReferralClick({
        referralCode: store.referralCode,
        visitorHash: uniqueVisitor(),
      });
    } while (cursor);
    // THEN every original event is seen exactly once, in order, and no page repeats one
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(seen.length);
    const original = await db.prisma.storeReferral.findMany({
      where: {
        storeId: store.id,
        createdAt: { lt: new Date("2026-01-02T00:00:00Z") },
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
    expect(seen.slice(-25)).toEqual(original.map((row) => row.id));
  });

  it("counts a user who became active among the sign-ups (status signed_up includes active)", async () => {
    // GIVEN a click, a sign-up, and a sign-up that became active
    const store = await createTestStore();
    const at = new Date("2026-03-01T00:00:00Z");
    await db.prisma.storeReferral.createMany({
      data: (["clicked", "signed_up", "active"] as const).map((status, index) => ({
        storeId: store.id,
        referralCode: store.referralCode,
        status,
        referredUserId: status === "clicked" ? null : uniqueUserId(),
        createdAt: new Date(at.getTime() + index * 1000),
      })),
    });
    // WHEN the events are filtered by each status
    const statusesOf = async (status: "clicked" | "signed_up" | "active") =>
      (await getReferralsForStore({ storeId: store.id, filters: { status } })).items
        .map((item) => item.status)
        .sort();
    // THEN "signed up" holds both sign-ups, and the count agrees with the list
    expect(await statusesOf("signed_up")).toEqual(["active", "signed_up"]);
    expect(await statusesOf("active")).toEqual(["active"]);
    expect(await statusesOf("clicked")).toEqual(["clicked"]);
    expect(
      await countReferralsForStore({ storeId: store.id, filters: { status: "signed_up" } }),
    ).toBe(2);
  });

  it("filters by status, channel and date range", async () => {
    const store = await createTestStore();
    await seedEvents(store.id, store.referralCode, 12, new Date("2026-02-01T00:00:00Z"));
    const signedUp = await getReferralsForStore({
      storeId: store.id,
      filters: { status: "signed_up" },
    });
    expect(signedUp.items).toHaveLength(4);
    expect(signedUp.items.every((item) => item.status === "signed_up")).toBe(true);
    const qr = await getReferralsForStore({
      storeId: store.id,
      filters: { channel: "qr" },
    });
    expect(qr.items).toHaveLength(6);
    const range = {
      from: new Date("2026-02-01T00:00:03Z"),
      to: new Date("2026-02-01T00:00:06Z"),
    };
    const windowed = await getReferralsForStore({
      storeId: store.id,
      filters: range,
    });
    expect(windowed.items.map((item) => item.createdAt.toISOString())).toEqual([
      "2026-02-01T00:00:05.000Z",
      "2026-02-01T00:00:04.000Z",
      "2026-02-01T00:00:03.000Z",
    ]);
    expect(await countReferralsForStore({ storeId: store.id, filters: range })).toBe(3);
  });

  it.each(["not-a-cursor", Buffer.from('["x","y"]').toString("base64url"), ""])(
    "rejects the malformed cursor %j",
    async (cursor) => {
      const store = await createTestStore();
      const read = getReferralsForStore({
        storeId: store.id,
        cursor: cursor || "%%%",
      });
      await expect(read).rejects.toBeInstanceOf(InvalidCursorError);
    },
  );
});

describe("decodeReferralCursor", () => {
  const cursorOf = (iso: unknown, id: unknown = crypto.randomUUID()) =>
    Buffer.from(JSON.stringify([iso, id])).toString("base64url");

  it.each(["1970-01-01T00:00:00.000Z", "2026-12-01T14:03:07.123Z", "9999-12-31T23:59:59.999Z"])(
    "reads back the cursor it wrote for %s",
    (iso) => {
      const event = { createdAt: new Date(iso), id: crypto.randomUUID() };
      expect(decodeReferralCursor(encodeReferralCursor(event))).toEqual(event);
    },
  );

  it.each([
    ["past JavaScript's limit", "+275760-09-13T00:00:00.000Z"],
    ["past year 9999", "+010000-01-01T00:00:00.000Z"],
    ["in year 0", "0000-01-01T00:00:00.000Z"],
    ["in a negative year", "-000001-01-01T00:00:00.000Z"],
    ["before 1970", "1969-12-31T23:59:59.999Z"],
    ["not in the canonical form", "2026-12-01T14:03:07Z"],
    ["a day only", "2026-12-01"],
    ["a number", 1_764_597_787_000],
  ])("refuses a timestamp %s", (_label, iso) => {
    expect(() => decodeReferralCursor(cursorOf(iso))).toThrow(InvalidCursorError);
  });

  it("refuses an out-of-range cursor before any query, never a database error", async () => {
    const store = await createTestStore();
    const read = getReferralsForStore({
      storeId: store.id,
      cursor: cursorOf("+275760-09-13T00:00:00.000Z"),
    });
    await expect(read).rejects.toBeInstanceOf(InvalidCursorError);
  });
});
