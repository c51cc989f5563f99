// Admin → Webhooks: loader and action through the real authenticate.admin against the real
// database, scoped to the shop; hostile input answers 4xx and changes nothing.
import { afterAll, describe, expect, it, vi } from "vitest";

import { db } from "~/db.server";
import { recordReferralSignup } from "~/models/referral-signups.server";
import { listWebhookEndpoints } from "~/models/webhook-endpoint.server";
import { action, loader } from "~/routes/app.webhooks";
import { countedChunkedBody, NOT_A_FORM, postToAdminAction, withStreamedBody } from "~/test/bodies";
import { uniqueUserId } from "~/test/builders";
import { callRoute, createInstalledTestStore } from "~/test/routes";
import { adminFormRequest, adminRequest } from "~/test/shopify";

const shopifyAdmin = await vi.hoisted(async () => {
  const { interceptShopifyAdmin } = await import("~/test/fakes/shopify-admin");
  return interceptShopifyAdmin();
});

afterAll(() => shopifyAdmin.close());

const URL_OK = "https://hooks.example.com/referrals";

async function submit(shopDomain: string, fields: Record<string, string>) {
  const response = (await callRoute(
    action,
    await adminFormRequest("/app/webhooks", { shopDomain, fields }),
  )) as Response;
  const body = (await response.json()) as {
    ok: boolean;
    intent?: string;
    secret?: string;
    endpoint?: { id: string; url: string; events: string[]; disabledAt: string | null };
    errors?: Record<string, string | undefined>;
  };
  return { status: response.status, headers: response.headers, body };
}

async function page(shopDomain: string, query = "") {
  return (await callRoute(
    loader,
    await adminRequest(`/app/webhooks${query}`, { shopDomain }),
  )) as Response;
}

async function createEndpoint(shopDomain: string, events = "referral.signed_up") {
  const { body } = await submit(shopDomain, { intent: "create", url: URL_OK, events });
  return body;
}

describe("app.webhooks", () => {
  it("adds an endpoint and shows its secret once, never in the page", async () => {
    const store = await createInstalledTestStore();
    const { status, headers, body } = await submit(store.shopDomain, {
      intent: "create",
      url: `  ${URL_OK}  `,
      events: "referral.signed_up,referral.clicked,referral.signed_up",
    });
    expect(status).toBe(200);
    expect(headers.get("cache-control")).toBe("no-store");
    expect(body).toMatchObject({
      ok: true,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      endpoint: { url: URL_OK, events: ["referral.signed_up", "referral.clicked"] },
    });
    const data = await (await page(store.shopDomain)).json();
    expect(data.endpoints).toHaveLength(1);
    expect(JSON.stringify(data)).not.toContain(body.secret);
  });

  it.each([
    [{ intent: "create", url: "", events: "referral.signed_up" }, "url"],
    [{ intent: "create", url: "http://hooks.example.com/x", events: "referral.signed_up" }, "url"],
    [{ intent: "create", url: "https://127.0.0.1/x", events: "referral.signed_up" }, "url"],
    [{ intent: "create", url: "https://169.254.169.254/x", events: "referral.signed_up" }, "url"],
    [
      { intent: "create", url: `https://x.com/${"a".repeat(2100)}`, events: "referral.signed_up" },
      "url",
    ],
    [
      { intent: "create", url: "https://hooks.example.com/\u0000", events: "referral.signed_up" },
      "url",
    ],
    [{ intent: "create", url: URL_OK, events: "" }, "events"],
    [{ intent: "create", url: URL_OK, events: "order.created" }, "events"],
    [{ intent: "rotate", endpointId: "1" }, "endpointId"],
    [{ intent: "resend", deliveryId: "\u0000" }, "deliveryId"],
    [{ intent: "drop-tables" }, "intent"],
  ])("answers %j with 400 naming %s, and adds nothing", async (fields, field) => {
    const store = await createInstalledTestStore();
    const { status, body } = await submit(store.shopDomain, fields);
    expect(status).toBe(400);
    expect(body.errors?.[field]).toEqual(expect.any(String));
    expect(await listWebhookEndpoints({ storeId: store.id })).toEqual([]);
  });

  it("rotates the secret (the old one still signs for the overlap), disables and enables", async () => {
    const store = await createInstalledTestStore();
    const created = await createEndpoint(store.shopDomain);
    const endpointId = created.endpoint!.id;
    const rotated = await submit(store.shopDomain, { intent: "rotate", endpointId });
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.secret);
    expect(rotated.headers.get("cache-control")).toBe("no-store");
    await submit(store.shopDomain, { intent: "disable", endpointId });
    let [endpoint] = await listWebhookEndpoints({ storeId: store.id });
    expect(endpoint).toMatchObject({ disabledReason: "Disabled by the store." });
    expect(endpoint?.previousSecretExpiresAt).toBeInstanceOf(Date);
    await submit(store.shopDomain, { intent: "enable", endpointId });
    [endpoint] = await listWebhookEndpoints({ storeId: store.id });
    expect(endpoint).toMatchObject({ disabledAt: null, disabledReason: null });
  });

  it("queues a test event and a resend, both shown in the delivery log, page by page", async () => {
    const store = await createInstalledTestStore();
    const created = await createEndpoint(store.shopDomain);
    const endpointId = created.endpoint!.id;
    // 26 sign-ups: one more than a page of the log
    for (let index = 0; index < 26; index++) {
      await recordReferralSignup({ referralCode: store.referralCode, userId: uniqueUserId() });
    }
    expect((await submit(store.shopDomain, { intent: "test", endpointId })).status).toBe(200);
    const first = await (await page(store.shopDomain)).json();
    expect(first.deliveries).toHaveLength(25);
    expect(first.deliveries[0]).toMatchObject({ type: "webhook.test", status: "pending" });
    expect(first.nextPage).toEqual(expect.any(String));
    const second = await (await page(store.shopDomain, `?before=${first.nextPage}`)).json();
    expect(second.deliveries).toHaveLength(2);
    expect(second.nextPage).toBeNull();
    const resend = await submit(store.shopDomain, {
      intent: "resend",
      deliveryId: second.deliveries[1].id,
    });
    expect(resend.status).toBe(200);
    const after = await (await page(store.shopDomain)).json();
    expect(after.deliveries[0]).toMatchObject({ type: "referral.signed_up", attempts: 0 });
  });

  it("never shows, changes or resends another shop's endpoints and deliveries", async () => {
    // GIVEN another shop with an endpoint and a delivery
    const mine = await createInstalledTestStore();
    const theirs = await createInstalledTestStore();
    const their = await createEndpoint(theirs.shopDomain);
    const endpointId = their.endpoint!.id;
    await recordReferralSignup({ referralCode: theirs.referralCode, userId: uniqueUserId() });
    const theirLog = await (await page(theirs.shopDomain)).json();
    // WHEN this shop looks and posts their ids
    const data = await (await page(mine.shopDomain)).json();
    const answers = await Promise.all([
      ...["rotate", "test", "disable", "enable", "delete"].map((intent) =>
        submit(mine.shopDomain, { intent, endpointId }),
      ),
      submit(mine.shopDomain, { intent: "resend", deliveryId: theirLog.deliveries[0].id }),
    ]);
    // THEN it sees nothing of theirs, every change is a 404, and theirs is unchanged
    expect(data).toEqual({ endpoints: [], deliveries: [], nextPage: null, firstPage: true });
    expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404, 404, 404, 404]);
    const [endpoint] = await listWebhookEndpoints({ storeId: theirs.id });
    expect(endpoint).toMatchObject({ id: endpointId, disabledAt: null });
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM "WebhookDelivery" WHERE "endpointId" = $1`,
      [endpointId],
    );
    expect(rows[0]).toEqual({ n: 1 });
  });

  it.each(["not-base64!", "eyJ4Ijox", "WyIyMDI2LTEyLTAxVDAwOjAwOjAwWiIsIngiXQ", "\u0000"])(
    "answers 400 to a log cursor that is not one (%s)",
    async (cursor) => {
      const store = await createInstalledTestStore();
      const outcome = await callRoute(
        loader,
        await adminRequest(`/app/webhooks?before=${encodeURIComponent(cursor)}`, {
          shopDomain: store.shopDomain,
        }),
      );
      expect((outcome as Response).status).toBe(400);
    },
  );

  it.each(NOT_A_FORM)(
    "answers %s with %i and changes nothing",
    async (contentType, body, status) => {
      const store = await createInstalledTestStore();
      const response = await postToAdminAction(action, "/app/webhooks", {
        shopDomain: store.shopDomain,
        contentType,
        body,
      });
      expect(response.status).toBe(status);
      expect(await response.json()).toHaveProperty("error.code");
      expect(await listWebhookEndpoints({ storeId: store.id })).toEqual([]);
    },
  );

  it.each(["PUT", "PATCH", "DELETE"])(
    "answers %s without a form with 415, never a 500",
    async (method) => {
      const store = await createInstalledTestStore();
      const response = (await callRoute(
        action,
        await adminRequest("/app/webhooks", { shopDomain: store.shopDomain, method }),
      )) as Response;
      expect(response.status).toBe(415);
    },
  );

  it("answers 413 to a chunked form past 64 KB", async () => {
    const store = await createInstalledTestStore();
    const { body, pulled } = countedChunkedBody();
    const request = await adminRequest("/app/webhooks", {
      shopDomain: store.shopDomain,
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    const response = (await callRoute(action, withStreamedBody(request, body))) as Response;
    expect(response.status).toBe(413);
    expect(pulled.count).toBeLessThan(10);
  });

  it("refuses a request not signed by Shopify", async () => {
    const store = await createInstalledTestStore();
    const request = await adminRequest("/app/webhooks", {
      shopDomain: store.shopDomain,
      secret: "forged-secret",
    });
    expect(((await callRoute(loader, request)) as Response).status).toBe(401);
  });
});
