// The transactional outbox: each change writes its event in its own statement, so a committed
// change always has its event and a rolled-back one never does; only subscribed, enabled
// endpoints of the store get a delivery.
import { describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { recordReferralClick } from "~/models/referral-clicks.server";
import { markReferralActive, recordReferralSignup } from "~/models/referral-signups.server";
import { changeStoreStatus, markStoreUninstalled } from "~/models/store.server";
import { createWebhookEndpoint, setWebhookEndpointEnabled } from "~/models/webhook-endpoint.server";
import type { WebhookEventType } from "~/schemas/webhook-event-types";
import { createTestStore, uniqueUserId, uniqueVisitor } from "~/test/builders";

async function deliveriesOf(endpointId: string) {
  const { rows } = await db.pool.query<{ type: string; referralId: string | null; data: unknown }>(
    `SELECT ev."type", ev."referralId", ev."data" FROM "WebhookDelivery" d
       JOIN "WebhookEvent" ev ON ev."id" = d."eventId"
      WHERE d."endpointId" = $1 ORDER BY ev."createdAt", ev."id"`,
    [endpointId],
  );
  return rows;
}

async function storeWithEndpoint(
  events: WebhookEventType[] = ["referral.signed_up", "referral.activated"],
) {
  const store = await createTestStore();
  const { endpoint } = await createWebhookEndpoint({
    storeId: store.id,
    url: "https://hooks.example.com/referrals",
    events,
  });
  return { store, endpoint };
}

describe("the webhook outbox", () => {
  it("writes a referral.signed_up event with the sign-up and a referral.activated with the activation", async () => {
    // GIVEN a store with an endpoint subscribed to both
    const { store, endpoint } = await storeWithEndpoint();
    const userId = uniqueUserId();
    // WHEN a referred user signs up and is activated
    const signup = await recordReferralSignup({ referralCode: store.referralCode, userId });
    await markReferralActive({ userId });
    // THEN the endpoint has one delivery of each, for that referral
    expect(await deliveriesOf(endpoint.id)).toEqual([
      { type: "referral.signed_up", referralId: signup.referralId, data: {} },
      { type: "referral.activated", referralId: signup.referralId, data: {} },
    ]);
  });

  it("writes nothing for a sign-up whose transaction is rolled back", async () => {
    // GIVEN a subscribed endpoint
    const { store, endpoint } = await storeWithEndpoint();
    // WHEN the sign-up runs inside a transaction that then fails
    await expect(
      db.prisma.$transaction(async (tx) => {
        const result = await recordReferralSignup(
          { referralCode: store.referralCode, userId: uniqueUserId() },
          tx,
        );
        expect(result.attributed).toBe(true);
        throw new Error("the webhook handler failed after the sign-up");
      }),
    ).rejects.toThrow("the webhook handler failed");
    // THEN neither the sign-up nor its event exists
    expect(await deliveriesOf(endpoint.id)).toEqual([]);
    const { rows } = await db.pool.query(`SELECT 1 FROM "StoreReferral" WHERE "storeId" = $1`, [
      store.id,
    ]);
    expect(rows).toHaveLength(0);
  });

  it("writes the event of a sign-up committed in a transaction", async () => {
    const { store, endpoint } = await storeWithEndpoint();
    await db.prisma.$transaction((tx) =>
      recordReferralSignup({ referralCode: store.referralCode, userId: uniqueUserId() }, tx),
    );
    expect((await deliveriesOf(endpoint.id)).map((row) => row.type)).toEqual([
      "referral.signed_up",
    ]);
  });

  it("writes no event for a store without a subscribed, enabled endpoint", async () => {
    // GIVEN an endpoint subscribed to activations only, and a disabled one subscribed to sign-ups
    const { store, endpoint } = await storeWithEndpoint(["referral.activated"]);
    const { endpoint: disabled } = await createWebhookEndpoint({
      storeId: store.id,
      url: "https://hooks.example.com/disabled",
      events: ["referral.signed_up"],
    });
    await setWebhookEndpointEnabled({ storeId: store.id, endpointId: disabled.id, enabled: false });
    // WHEN a user signs up (a repeat changes nothing either)
    const userId = uniqueUserId();
    await recordReferralSignup({ referralCode: store.referralCode, userId });
    await recordReferralSignup({ referralCode: store.referralCode, userId });
    // THEN no event was written for either endpoint
    expect(await deliveriesOf(endpoint.id)).toEqual([]);
    expect(await deliveriesOf(disabled.id)).toEqual([]);
    const { rows } = await db.pool.query(`SELECT 1 FROM "WebhookEvent" WHERE "storeId" = $1`, [
      store.id,
    ]);
    expect(rows).toHaveLength(0);
  });

  it("writes store.status_changed with the change, for an operator's suspension and an uninstall", async () => {
    const { store, endpoint } = await storeWithEndpoint(["store.status_changed"]);
    await changeStoreStatus({
      shopDomain: store.shopDomain,
      to: "suspended",
      actor: "operator",
      reason: "Under review",
    });
    await changeStoreStatus({ shopDomain: store.shopDomain, to: "active", actor: "operator" });
    await markStoreUninstalled({ shopDomain: store.shopDomain });
    expect((await deliveriesOf(endpoint.id)).map((row) => row.data)).toEqual([
      { from: "active", to: "suspended", reason: "Under review" },
      { from: "suspended", to: "active", reason: null },
      { from: "active", to: "deactivated", reason: null },
    ]);
  });

  it("writes store.status_changed when a reinstall reactivates the store, and nothing on a mere update", async () => {
    const { store, endpoint } = await storeWithEndpoint(["store.status_changed"]);
    await markStoreUninstalled({ shopDomain: store.shopDomain });
    await createTestStore({ shopDomain: store.shopDomain });
    await createTestStore({ shopDomain: store.shopDomain });
    expect((await deliveriesOf(endpoint.id)).map((row) => row.data)).toEqual([
      { from: "active", to: "deactivated", reason: null },
      { from: "deactivated", to: "active", reason: null },
    ]);
  });

  it("adds nothing to the click statement: a click writes no event, even with referral.clicked subscribed", async () => {
    const { store, endpoint } = await storeWithEndpoint(["referral.clicked"]);
    const click = await recordReferralClick({
      referralCode: store.referralCode,
      visitorHash: uniqueVisitor(),
    });
    expect(click.recorded).toBe(true);
    expect(await deliveriesOf(endpoint.id)).toEqual([]);
  });
});
