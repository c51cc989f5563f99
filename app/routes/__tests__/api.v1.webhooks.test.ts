// GET and POST /api/v1/webhooks: a store key with `write` lists and adds its store's endpoints;
// every answer is checked against the OpenAPI document (callApi).
import { describe, expect, it } from "vitest";

import { listWebhookEndpoints } from "~/models/webhook-endpoint.server";
import * as webhooksRoute from "~/routes/api.v1.webhooks";
import { apiRequest, callApi, createTestApiKey } from "~/test/api";
import { createTestStore } from "~/test/builders";

const PATH = "/api/v1/webhooks";
const URL_OK = "https://hooks.example.com/referrals";

async function storeWithKey(scopes: Array<"read" | "write"> = ["read", "write"]) {
  const store = await createTestStore();
  const { key } = await createTestApiKey({ storeId: store.id, scopes });
  return { store, key };
}

describe("/api/v1/webhooks", () => {
  it("adds an endpoint, returns its secret once, and lists it without the secret", async () => {
    const { store, key } = await storeWithKey();
    const created = await callApi<{ secret: string; endpoint: { id: string } }>(
      webhooksRoute,
      apiRequest(PATH, {
        key,
        method: "POST",
        body: { url: URL_OK, events: ["referral.signed_up", "referral.signed_up"] },
      }),
    );
    expect(created.status).toBe(200);
    expect(created.body.secret).toMatch(/^whsec_/);
    const listed = await callApi(webhooksRoute, apiRequest(PATH, { key }));
    expect(listed.body).toEqual({
      data: [
        {
          id: created.body.endpoint.id,
          url: URL_OK,
          events: ["referral.signed_up"],
          enabled: true,
          disabled_reason: null,
          created_at: expect.any(String),
        },
      ],
    });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
    expect(await listWebhookEndpoints({ storeId: store.id })).toHaveLength(1);
  });

  it("lists only the key's own store's endpoints", async () => {
    const mine = await storeWithKey();
    const theirs = await storeWithKey();
    await callApi(
      webhooksRoute,
      apiRequest(PATH, {
        key: theirs.key,
        method: "POST",
        body: { url: URL_OK, events: ["referral.activated"] },
      }),
    );
    const listed = await callApi(webhooksRoute, apiRequest(PATH, { key: mine.key }));
    expect(listed.body).toEqual({ data: [] });
  });

  it.each([
    [{ url: "https://10.0.0.1/x", events: ["referral.signed_up"] }, /body field "url"/],
    [{ url: "http://hooks.example.com/x", events: ["referral.signed_up"] }, /https/],
    [{ url: "https://hooks.example.com/\u0000", events: ["referral.signed_up"] }, /url/],
    [{ url: URL_OK, events: [] }, /events/],
    [{ url: URL_OK, events: ["order.created"] }, /events/],
    [{ url: URL_OK }, /events/],
  ])("answers %j with 422 naming the field, and adds nothing", async (body, message) => {
    const { store, key } = await storeWithKey();
    const result = await callApi<{ error: { code: string; message: string } }>(
      webhooksRoute,
      apiRequest(PATH, { key, method: "POST", body }),
    );
    expect(result.status).toBe(422);
    expect(result.body.error.message).toMatch(message);
    expect(await listWebhookEndpoints({ storeId: store.id })).toEqual([]);
  });

  it("refuses a key without the write scope, and methods other than GET and POST", async () => {
    const { key } = await storeWithKey(["read"]);
    expect((await callApi(webhooksRoute, apiRequest(PATH, { key }))).status).toBe(403);
    const { key: writer } = await storeWithKey();
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      expect((await callApi(webhooksRoute, apiRequest(PATH, { key: writer, method }))).status).toBe(
        405,
      );
    }
  });

  it("answers 400 to a body that is not JSON and 413 to one past 16 KiB", async () => {
    const { key } = await storeWithKey();
    const notJson = await callApi(
      webhooksRoute,
      apiRequest(PATH, { key, method: "POST", body: "{not json" }),
    );
    expect(notJson.status).toBe(400);
    const huge = await callApi(
      webhooksRoute,
      apiRequest(PATH, {
        key,
        method: "POST",
        body: { url: `https://x.com/${"a".repeat(20_000)}`, events: ["referral.signed_up"] },
      }),
    );
    expect(huge.status).toBe(413);
  });

  it("refuses an eleventh endpoint", async () => {
    const { key } = await storeWithKey();
    const add = () =>
      callApi(
        webhooksRoute,
        apiRequest(PATH, {
          key,
          method: "POST",
          body: { url: URL_OK, events: ["referral.signed_up"] },
        }),
      );
    for (let index = 0; index < 10; index++) expect((await add()).status).toBe(200);
    expect((await add()).status).toBe(422);
  });
});
