// Referral events: filters, keyset pagination both ways, the CSV export, and shop isolation.
import { afterAll, describe, expect, it, vi } from "vitest";

import { db } from "~/db.server";
import { anonymizeUserId } from "~/lib/infra/keyed-hash.server";
import { reviewFlaggedReferral } from "~/models/referral-review.server";
import { recordReferralSignup } from "~/models/referral-signups.server";
import { loader as referralsLoader } from "~/routes/app.referrals";
import { loader as csvLoader } from "~/routes/app.referrals[.]csv";
import { recordReferralActivity, uniqueUserId } from "~/test/builders";
import { callRoute, createInstalledTestStore, loadData } from "~/test/routes";
import { adminRequest } from "~/test/shopify";

const shopifyAdmin = await vi.hoisted(async () => {
  const { interceptShopifyAdmin } = await import("~/test/fakes/shopify-admin");
  return interceptShopifyAdmin();
});
afterAll(() => shopifyAdmin.close());

/** `count` events one minute apart from `start` (oldest first), alternating channel link/qr. */
async function seedEvents(
  store: { id: number; referralCode: string },
  count: number,
  start = new Date("2026-10-01T12:00:00.000Z"),
) {
  const userIds: string[] = [];
  await db.prisma.storeReferral.createMany({
    data: Array.from({ length: count }, (_, index) => {
      const signedUp = index % 4 === 0;
      const userId = signedUp ? uniqueUserId() : null;
      if (userId) userIds.push(userId);
      return {
        storeId: store.id,
        referralCode: store.referralCode,
        status: signedUp ? ("signed_up" as const) : ("clicked" as const),
        referredUserId: userId,
        channel: index % 2 === 0 ? ("link" as const) : ("qr" as const),
        utmParams: { utm_source: index === 1 ? '=HYPERLINK("x")' : "instagram" },
        createdAt: new Date(start.getTime() + index * 60_000),
        signedUpAt: signedUp ? new Date(start.getTime() + index * 60_000 + 1000) : null,
      };
    }),
  });
  return { userIds };
}

/** A page cursor as the model writes it, with any timestamp text. */
function cursorAt(iso: string) {
  return Buffer.from(JSON.stringify([iso, crypto.randomUUID()])).toString("base64url");
}

async function csvOf(shopDomain: string, query = "") {
  const response = await callRoute(
    csvLoader,
    await adminRequest(`/app/referrals.csv${query}`, { shopDomain }),
  );
  if (!(response instanceof Response)) throw new Error("Expected a response");
  return { response, text: await response.text() };
}

describe("referral events page", () => {
  it("pages through every event newest first, forward and back, without gaps", async () => {
    // GIVEN 120 events
    const store = await createInstalledTestStore();
    await seedEvents(store, 120);
    const shopDomain = store.shopDomain;
    // WHEN the partner walks forward through the pages, then back
    const first = await loadData(
      referralsLoader,
      await adminRequest("/app/referrals", { shopDomain }),
    );
    const second = await loadData(
      referralsLoader,
      await adminRequest(`/app/referrals?after=${first.nextCursor}`, { shopDomain }),
    );
    const third = await loadData(
      referralsLoader,
      await adminRequest(`/app/referrals?after=${second.nextCursor}`, { shopDomain }),
    );
    const backToSecond = await loadData(
      referralsLoader,
      await adminRequest(`/app/referrals?before=${third.previousCursor}`, { shopDomain }),
    );
    const backToFirst = await loadData(
      referralsLoader,
      await adminRequest(`/app/referrals?before=${backToSecond.previousCursor}`, { shopDomain }),
    );
    // THEN the pages are 50 + 50 + 20 distinct events in order, and going back gives the same pages
    const ids = [...first.events, ...second.events, ...third.events].map((event) => event.id);
    expect([first.events.length, second.events.length, third.events.length]).toEqual([50, 50, 20]);
    expect(new Set(ids).size).toBe(120);
    const times = [...first.events, ...second.events, ...third.events].map((event) =>
      new Date(event.createdAt).getTime(),
    );
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(first.previousCursor).toBeNull();
    expect(third.nextCursor).toBeNull();
    expect(backToSecond.events.map((event) => event.id)).toEqual(
      second.events.map((event) => event.id),
    );
    expect(backToFirst.events.map((event) => event.id)).toEqual(
      first.events.map((event) => event.id),
    );
    expect(backToFirst.previousCursor).toBeNull();
    // AND every page says how many events there are and where it starts
    expect([first, second, third, backToSecond, backToFirst].map((page) => page.total)).toEqual([
      120, 120, 120, 120, 120,
    ]);
    expect([first, second, third, backToSecond, backToFirst].map((page) => page.offset)).toEqual([
      0, 50, 100, 50, 0,
    ]);
  });

  it("filters by status, channel and an inclusive range of UTC days", async () => {
    const store = await createInstalledTestStore();
    await seedEvents(store, 8, new Date("2026-10-01T23:58:00.000Z")); // 23:58 … 00:05 next day
    const data = await loadData(
      referralsLoader,
      await adminRequest("/app/referrals?status=clicked&channel=qr&from=2026-10-02&to=2026-10-02", {
        shopDomain: store.shopDomain,
      }),
    );
    expect(data.events.length).toBeGreaterThan(0);
    for (const event of data.events) {
      expect(event).toMatchObject({ status: "clicked", channel: "qr" });
      expect(new Date(event.createdAt).toISOString().startsWith("2026-10-02")).toBe(true);
    }
    expect(data.events).toHaveLength(3); // the qr clicks at 00:01, 00:03 and 00:05
    expect(data.exportUrl).toBe(
      "/app/referrals.csv?status=clicked&channel=qr&from=2026-10-02&to=2026-10-02",
    );
  });

  it("filters by the store's days, not UTC's, and exports times with the store's offset", async () => {
    // GIVEN a store in Los Angeles with clicks from 23:58 to 00:05 of its night of Oct 1-2 (PDT)
    const store = await createInstalledTestStore({ timeZone: "America/Los_Angeles" });
    await seedEvents(store, 8, new Date("2026-10-02T06:58:00.000Z"));
    // WHEN its admin filters on Oct 2
    const data = await loadData(
      referralsLoader,
      await adminRequest("/app/referrals?from=2026-10-02&to=2026-10-02", {
        shopDomain: store.shopDomain,
      }),
    );
    // THEN only the clicks from its midnight on are listed (00:00 … 00:05 PDT)
    expect(data.total).toBe(6);
    for (const event of data.events) {
      expect(new Date(event.createdAt).getTime()).toBeGreaterThanOrEqual(
        Date.parse("2026-10-02T07:00:00.000Z"),
      );
    }
    // AND the CSV of the same filter has the same rows, their times in the store's offset
    const { text } = await csvOf(store.shopDomain, "?from=2026-10-02&to=2026-10-02");
    const times = text
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(",")[0]);
    expect(times).toHaveLength(6);
    expect(times).toContain("2026-10-02T00:00:00-07:00");
    expect(times.every((time) => /^2026-10-02T00:0[0-5]:00-07:00$/.test(time!))).toBe(true);
  });

  it.each([
    ["an unknown status", "?status=won"],
    ["a malformed date", "?from=yesterday"],
    ["a range that ends before it starts", "?from=2026-10-05&to=2026-10-01"],
    ["a forged cursor", "?after=bm90LWEtY3Vyc29y"],
  ])("answers 400 to %s", async (_label, query) => {
    const store = await createInstalledTestStore();
    const response = await callRoute(
      referralsLoader,
      await adminRequest(`/app/referrals${query}`, { shopDomain: store.shopDomain }),
    );
    expect(response).toBeInstanceOf(Response);
    expect((response as Response).status).toBe(400);
    expect(await (response as Response).json()).toMatchObject({
      error: { code: expect.any(String) },
    });
  });

  it.each([
    ["the last day of 9999 (its next day is year 10000)", "?to=9999-12-31"],
    ["year 0", "?from=0000-01-01"],
    ["a year past JavaScript's limit", "?from=275760-09-13"],
    ["a day before 1970", "?to=1969-12-31"],
    ["a cursor in year +275760", `?after=${cursorAt("+275760-09-13T00:00:00.000Z")}`],
    ["a cursor in year 0", `?before=${cursorAt("0000-01-01T00:00:00.000Z")}`],
    ["a cursor in a negative year", `?after=${cursorAt("-000001-01-01T00:00:00.000Z")}`],
    ["a cursor holding a NUL character", "?after=abc%00def"],
  ])("answers 400 to %s, never a 500", async (_label, query) => {
    // GIVEN a shop with events
    const store = await createInstalledTestStore();
    await seedEvents(store, 3);
    // WHEN the page is asked for a value PostgreSQL or JavaScript cannot hold
    const response = await callRoute(
      referralsLoader,
      await adminRequest(`/app/referrals${query}`, { shopDomain: store.shopDomain }),
    );
    // THEN a 400 with the one error shape, naming the parameter
    expect(response).toBeInstanceOf(Response);
    expect((response as Response).status).toBe(400);
    const body = (await (response as Response).json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/^(from|to|after|before)|cursor/);
  });

  it("renders the page for a bad filter: a returned 400 with the error, not the error boundary", async () => {
    // GIVEN a shop with events
    const store = await createInstalledTestStore();
    await seedEvents(store, 3);
    const request = await adminRequest("/app/referrals?to=9999-12-31", {
      shopDomain: store.shopDomain,
    });
    // WHEN the loader runs (a thrown response would replace the page with the error boundary)
    const response = await referralsLoader({ request, params: {}, context: {} });
    // THEN it returns a 400 whose data the page shows: the message beside the field, the value
    // asked kept in its control, no rows
    expect(response).toBeInstanceOf(Response);
    const outcome = response as unknown as Response;
    expect(outcome.status).toBe(400);
    const dateMessage =
      "Enter a date as YYYY-MM-DD, from 1970-01-01 to 9999-12-30 (for example 2026-11-30).";
    expect(await outcome.json()).toMatchObject({
      error: { code: "invalid_request", message: `to: ${dateMessage}` },
      fieldErrors: { to: dateMessage },
      values: { status: "", channel: "", from: "", to: "9999-12-31" },
      events: [],
      nextCursor: null,
      previousCursor: null,
    });
  });

  it("accepts the last supported day", async () => {
    const store = await createInstalledTestStore();
    await seedEvents(store, 3);
    const data = await loadData(
      referralsLoader,
      await adminRequest("/app/referrals?from=1970-01-01&to=9999-12-30", {
        shopDomain: store.shopDomain,
      }),
    );
    expect(data.events).toHaveLength(3);
  });

  it("shows shop A its own events only, even with a cursor taken from shop B", async () => {
    const storeA = await createInstalledTestStore();
    const storeB = await createInstalledTestStore();
    await seedEvents(storeA, 3);
    await seedEvents(storeB, 60);
    const pageOfB = await loadData(
      referralsLoader,
      await adminRequest("/app/referrals", { shopDomain: storeB.shopDomain }),
    );
    const data = await loadData(
      referralsLoader,
      await adminRequest(`/app/referrals?after=${pageOfB.nextCursor}&storeId=${storeB.id}`, {
        shopDomain: storeA.shopDomain,
      }),
    );
    const idsOfB = new Set(
      (await db.prisma.storeReferral.findMany({ where: { storeId: storeB.id } })).map(
        (row) => row.id,
      ),
    );
    expect(data.events.length).toBeGreaterThan(0);
    for (const event of data.events) expect(idsOfB.has(event.id)).toBe(false);
    expect(data.events.every((event) => event.referralCode === storeA.referralCode)).toBe(true);
  });
});

describe("CSV export", () => {
  it("streams every filtered row with referred users anonymized, never their ids", async () => {
    // GIVEN 600 events (more than one page of the model), some signed up
    const store = await createInstalledTestStore();
    const { userIds } = await seedEvents(store, 600);
    // WHEN the partner exports them
    const { response, text } = await csvOf(store.shopDomain);
    // THEN every row is there, labels instead of ids
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="${store.slug}-referrals.csv"`,
    );
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe(
      "created_at,status,channel,referred_user,signed_up_at,activated_at,utm_source,utm_medium,utm_campaign,event_id",
    );
    expect(lines).toHaveLength(601);
    for (const userId of userIds) {
      expect(text).not.toContain(userId);
      expect(text).toContain(anonymizeUserId(userId));
    }
  });

  it("exports the same rows as the page's filters and neutralizes spreadsheet formulas", async () => {
    const store = await createInstalledTestStore();
    await seedEvents(store, 10);
    const { text } = await csvOf(store.shopDomain, "?channel=qr");
    const rows = text.trimEnd().split("\n").slice(1);
    expect(rows).toHaveLength(5);
    expect(rows.every((row) => row.split(",")[2] === "qr")).toBe(true);
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it("never contains another shop's rows", async () => {
    const storeA = await createInstalledTestStore();
    const storeB = await createInstalledTestStore();
    await recordReferralActivity({ referralCode: storeA.referralCode, clicks: 2 });
    await recordReferralActivity({ referralCode: storeB.referralCode, clicks: 3, signups: 1 });
    const idsOfB = (await db.prisma.storeReferral.findMany({ where: { storeId: storeB.id } })).map(
      (row) => row.id,
    );
    const { text } = await csvOf(storeA.shopDomain, `?storeId=${storeB.id}`);
    expect(text.trimEnd().split("\n")).toHaveLength(3);
    for (const id of idsOfB) expect(text).not.toContain(id);
  });

  it.each(["?to=9999-12-31", "?from=0000-01-01", "?from=2026-10-01&to=275760-09-13"])(
    "answers 400 to the out-of-range day %s before any row is sent",
    async (query) => {
      // GIVEN a shop with events
      const store = await createInstalledTestStore();
      await seedEvents(store, 3);
      // WHEN the export is asked for a day that cannot be queried
      const { response, text } = await csvOf(store.shopDomain, query);
      // THEN a whole 400 answer, not a CSV cut off after its headers
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(JSON.parse(text)).toMatchObject({ error: { code: expect.any(String) } });
    },
  );

  it("exports up to the last supported day", async () => {
    const store = await createInstalledTestStore();
    await seedEvents(store, 3);
    const { response, text } = await csvOf(store.shopDomain, "?to=9999-12-30");
    expect(response.status).toBe(200);
    expect(text.trimEnd().split("\n")).toHaveLength(4);
  });

  it("answers 400 to a bad filter", async () => {
    const store = await createInstalledTestStore();
    const { response } = await csvOf(store.shopDomain, "?channel=fax");
    expect(response.status).toBe(400);
  });
});

describe("referral events page: sign-up quality", () => {
  /** Sign-ups of a store: one clean, one per flag category (the burst one approved). */
  async function seedFlaggedSignups(store: { id: number; referralCode: string }) {
    const flags = [[], ["self_referral_domain"], ["disposable_email"], ["signup_burst"]];
    const ids: string[] = [];
    for (const flagReasons of flags) {
      const signup = await recordReferralSignup({
        referralCode: store.referralCode,
        userId: uniqueUserId(),
        quality: { flagReasons, checksNotRun: [] },
      });
      ids.push(signup.referralId!);
    }
    await reviewFlaggedReferral({ referralId: ids[3]!, decision: "approved" });
    return ids;
  }

  it("filters by a flag's category or by any flag, and keeps the filter in the export link", async () => {
    // GIVEN a store with a clean sign-up and three flagged ones (one of them approved)
    const store = await createInstalledTestStore();
    const [, selfReferral, disposable, burst] = await seedFlaggedSignups(store);
    const page = async (query: string) =>
      loadData(
        referralsLoader,
        await adminRequest(`/app/referrals${query}`, { shopDomain: store.shopDomain }),
      );
    // WHEN the partner filters by one category
    const throwaway = await page("?flag=disposable_email");
    // THEN only that sign-up is listed, with its reason and review state
    expect(throwaway.events.map((event) => event.id)).toEqual([disposable]);
    // (its category, not the check's reason code: the admin never gets the codes)
    expect(throwaway.events[0]).toMatchObject({
      flagCategories: ["disposable_email"],
      review: "flagged",
    });
    expect(throwaway.events[0]).not.toHaveProperty("flagReasons");
    expect(throwaway.exportUrl).toBe("/app/referrals.csv?flag=disposable_email");
    // AND "flagged" lists every flagged sign-up, reviewed or not (their clicks share a
    // millisecond, so the newest-first order among them is not what this checks)
    expect((await page("?flag=flagged")).events.map((event) => event.id).sort()).toEqual(
      [burst, disposable, selfReferral].sort(),
    );
    expect((await page("?flag=self_referral")).events.map((event) => event.id)).toEqual([
      selfReferral,
    ]);
  });

  it("never lists another shop's flagged sign-ups", async () => {
    const storeA = await createInstalledTestStore();
    const storeB = await createInstalledTestStore();
    await seedFlaggedSignups(storeB);
    const data = await loadData(
      referralsLoader,
      await adminRequest("/app/referrals?flag=flagged", { shopDomain: storeA.shopDomain }),
    );
    expect(data.events).toEqual([]);
  });

  it.each([["?flag=repeat"], ["?flag=disposable_email%00"], ["?flag=self_referral_email"]])(
    "answers 400 to the unknown quality filter %s",
    async (query) => {
      const store = await createInstalledTestStore();
      const response = await callRoute(
        referralsLoader,
        await adminRequest(`/app/referrals${query}`, { shopDomain: store.shopDomain }),
      );
      expect((response as Response).status).toBe(400);
      expect(await (response as Response).json()).toMatchObject({
        error: { message: expect.stringMatching(/^flag/) },
      });
    },
  );
});
