// GET /api/v1/referrals?status=&cursor=&limit=
import { describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { recordReferralClick } from "~/models/referral-clicks.server";
import { recordReferralSignup } from "~/models/referral-signups.server";
import * as referralsRoute from "~/routes/api.v1.referrals";
import { apiRequest, callApi, createTestApiKey } from "~/test/api";
import { createTestStore, uniqueUserId, uniqueVisitor } from "~/test/builders";

interface ReferralsPage {
  data: Array<{ id: string; status: string; referred_user: string | null; created_at: string }>;
  next_cursor: string | null;
}

const listReferrals = (query: string, key: string) =>
  callApi<ReferralsPage>(referralsRoute, apiRequest(`/api/v1/referrals${query}`, { key }));

/** `count` events a second apart from `start`, every third one signed up. */
async function seedEvents(store: { id: number; referralCode: string }, count: number, start: Date) {
  await db.prisma.storeReferral.createMany({
    data: Array.from({ length: count }, (_, index) => ({
      storeId: store.id,
      referralCode: store.referralCode,
      status: index % 3 === 0 ? ("signed_up" as const) : ("clicked" as const),
      referredUserId: index % 3 === 0 ? uniqueUserId() : null,
      createdAt: new Date(start.getTime() + index * 1000),
      signedUpAt: index % 3 === 0 ? new Date(start.getTime() + index * 1000) : null,
    })),
  });
}

describe("GET /api/v1/referrals", () => {
  it("says which signups a quality check flagged, by category, and their review", async () => {
    // GIVEN a clean signup, a flagged one, and a click from a paid ad
    const store = await createTestStore();
    await recordReferralSignup({ referralCode: store.referralCode, userId: uniqueUserId() });
    await recordReferralSignup({
      referralCode: store.referralCode,
      userId: uniqueUserId(),
      quality: { flagReasons: ["self_referral_domain", "signup_burst"], checksNotRun: [] },
    });
    await recordReferralClick({
      referralCode: store.referralCode,
      visitorHash: uniqueVisitor(),
      adClickIds: ["fbclid"],
    });
    const { key } = await createTestApiKey({ storeId: store.id, scopes: ["read"] });
    // WHEN the key lists the referrals
    const response = await listReferrals("", key);
    // THEN each carries its quality: categories and review, never the checks' reason codes
    const qualities = (
      response.body.data as unknown as Array<{ quality: Record<string, unknown> }>
    ).map((event) => event.quality);
    expect(qualities).toEqual([
      { review: null, flag_categories: [], paid_ad_click: true },
      {
        review: "flagged",
        flag_categories: ["self_referral", "signup_burst"],
        paid_ad_click: false,
      },
      { review: null, flag_categories: [], paid_ad_click: false },
    ]);
    expect(JSON.stringify(response.body)).not.toContain("self_referral_domain");
  });

  it("lists the store's events newest first, referred users anonymized", async () => {
    // GIVEN a click and a signup
    const store = await createTestStore();
    const userId = uniqueUserId();
    await recordReferralClick({ referralCode: store.referralCode, visitorHash: uniqueVisitor() });
    await recordReferralSignup({ referralCode: store.referralCode, userId });
    const { key } = await createTestApiKey({ storeId: store.id, scopes: ["read"] });
    // WHEN the key lists the referrals
    const response = await listReferrals("", key);
    // THEN both come back, the user only as an anonymous label
    expect(response.status).toBe(200);
    expect(response.body.next_cursor).toBeNull();
    expect(response.body.data.map((event) => event.status)).toEqual(["signed_up", "clicked"]);
    expect(response.body.data[0]!.referred_user).toMatch(/^user-[0-9a-f]{10}$/);
    expect(JSON.stringify(response.body)).not.toContain(userId);
  });

  it("never lists another store's events", async () => {
    const storeA = await createTestStore();
    const storeB = await createTestStore();
    await seedEvents(storeB, 3, new Date("2026-05-01T00:00:00Z"));
    const { key } = await createTestApiKey({ storeId: storeA.id });
    const response = await listReferrals("", key);
    expect(response.body).toEqual({ data: [], next_cursor: null });
  });

  it("filters by status", async () => {
    const store = await createTestStore();
    await seedEvents(store, 9, new Date("2026-05-01T00:00:00Z"));
    const { key } = await createTestApiKey({ storeId: store.id });
    const response = await listReferrals("?status=signed_up", key);
    expect(response.body.data).toHaveLength(3);
    expect(response.body.data.every((event) => event.status === "signed_up")).toBe(true);
  });

  it("counts users who became active under status=signed_up, as total_signups does", async () => {
    // GIVEN three sign-ups, one of which became active
    const store = await createTestStore();
    await seedEvents(store, 9, new Date("2026-05-01T00:00:00Z"));
    const first = await db.prisma.storeReferral.findFirstOrThrow({
      where: { storeId: store.id, status: "signed_up" },
    });
    await db.prisma.storeReferral.update({
      where: { id: first.id },
      data: { status: "active", activatedAt: new Date("2026-05-02T00:00:00Z") },
    });
    const { key } = await createTestApiKey({ storeId: store.id });
    // WHEN the sign-ups are listed
    const response = await listReferrals("?status=signed_up", key);
    // THEN the active one is among them
    expect(response.body.data.map((event) => event.status).sort()).toEqual([
      "active",
      "signed_up",
      "signed_up",
    ]);
  });

  it("pages with the cursor, stable while new events arrive", async () => {
    // GIVEN 25 events
    const store = await createTestStore();
    await seedEvents(store, 25, new Date("2026-01-01T00:00:00Z"));
    const { key } = await createTestApiKey({ storeId: store.id });
    // WHEN paging 10 at a time while a new click is recorded before each next page
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof listReferrals>> = await listReferrals(
        `?limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        key,
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((event) => event.id));
      cursor = page.body.next_cursor;
      pages++;
      await recordReferralClick({ referralCode: store.referralCode, visitorHash: uniqueVisitor() });
    } while (cursor);
    // THEN the first page holds the 10 newest events and no event repeats or goes missing
    expect(pages).toBe(3);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    const expected = await db.prisma.storeReferral.findMany({
      where: { storeId: store.id, createdAt: { lt: new Date("2026-01-02T00:00:00Z") } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { id: true },
    });
    expect(seen).toEqual(expected.map((row) => row.id));
  });

  it("defaults to 50 events per page", async () => {
    const store = await createTestStore();
    await seedEvents(store, 51, new Date("2026-06-01T00:00:00Z"));
    const { key } = await createTestApiKey({ storeId: store.id });
    const response = await listReferrals("", key);
    expect(response.body.data).toHaveLength(50);
    expect(response.body.next_cursor).toEqual(expect.any(String));
  });

  it.each([
    ["?limit=0", "limit"],
    ["?limit=101", "limit"],
    ["?limit=ten", "limit"],
    ["?limit=2.5", "limit"],
    ["?status=pending", "status"],
    ["?cursor=not-a-cursor", "cursor"],
    [
      `?cursor=${Buffer.from(JSON.stringify(["2026-01-01", "nope"])).toString("base64url")}`,
      "cursor",
    ],
    [`?cursor=${"a".repeat(600)}`, "cursor"],
  ])("answers 422 to %s, naming %s", async (query, field) => {
    const store = await createTestStore();
    const { key } = await createTestApiKey({ storeId: store.id });
    const response = await listReferrals(query, key);
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      error: {
        code: "validation_failed",
        message: expect.stringContaining(`query parameter "${field}"`),
      },
    });
  });

  it.each([
    [
      "?limit=2.5",
      'Invalid query parameter "limit": must be a whole number. Expected: Events per page, 1 to 100. Example: limit=50.',
    ],
    [
      "?limit=abc",
      'Invalid query parameter "limit": must be a number. Expected: Events per page, 1 to 100. Example: limit=50.',
    ],
    [
      "?limit=500",
      'Invalid query parameter "limit": must be at most 100. Expected: Events per page, 1 to 100. Example: limit=50.',
    ],
    [
      "?status=pending",
      'Invalid query parameter "status": must be one of clicked, signed_up, active.',
    ],
    [
      `?cursor=${Buffer.from(JSON.stringify(["2026-01-01", "nope"])).toString("base64url")}`,
      'Invalid query parameter "cursor": is not a page cursor this API returned. Expected: `next_cursor` of the previous page; omit for the first page. Example: cursor=',
    ],
  ])(
    "says in words what is wrong with %s, what is expected, and an example",
    async (query, message) => {
      const store = await createTestStore();
      const { key } = await createTestApiKey({ storeId: store.id });
      const response = await listReferrals(query, key);
      expect(response.status).toBe(422);
      expect((response.body as unknown as { error: { message: string } }).error.message).toMatch(
        new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`),
      );
    },
  );

  it.each([
    ["a year past JavaScript's limit", "+275760-09-13T00:00:00.000Z"],
    ["the first year past 9999", "+010000-01-01T00:00:00.000Z"],
    ["year 0", "0000-01-01T00:00:00.000Z"],
    ["a negative year", "-000001-01-01T00:00:00.000Z"],
    ["a day before 1970", "1969-12-31T23:59:59.999Z"],
    ["a timestamp not written by the API", "2026-01-01T00:00:00Z"],
  ])("answers 422 to a cursor with %s", async (_label, iso) => {
    // GIVEN a key and a cursor whose date PostgreSQL cannot hold (or the API never wrote)
    const store = await createTestStore();
    const { key } = await createTestApiKey({ storeId: store.id });
    const cursor = Buffer.from(JSON.stringify([iso, crypto.randomUUID()])).toString("base64url");
    // WHEN it pages with it
    const response = await listReferrals(`?cursor=${cursor}`, key);
    // THEN a 422 names the cursor (never a 500)
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      error: {
        code: "validation_failed",
        message: expect.stringContaining('query parameter "cursor"'),
      },
    });
  });

  it.each([
    ["a NUL character", "%00"],
    ["a lone surrogate, percent-encoded", "%ED%A0%80"],
    ["standard base64", "YQ%3D%3D"],
  ])("answers 422 to a cursor holding %s", async (_label, encoded) => {
    const store = await createTestStore();
    const { key } = await createTestApiKey({ storeId: store.id });
    const response = await listReferrals(`?cursor=abc${encoded}def`, key);
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      error: {
        code: "validation_failed",
        message: expect.stringContaining('query parameter "cursor"'),
      },
    });
  });

  it("takes the first of repeated parameters and ignores empty and unknown ones", async () => {
    const store = await createTestStore();
    await seedEvents(store, 5, new Date("2026-07-01T00:00:00Z"));
    const { key } = await createTestApiKey({ storeId: store.id });
    const response = await listReferrals("?limit=2&limit=500&status=&utm=x", key);
    expect(response.status).toBe(200);
    expect(response.body.data).toHaveLength(2);
  });
});
