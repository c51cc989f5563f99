import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import {
  findInboundWebhookDelivery,
  processInboundWebhookOnce,
} from "~/models/inbound-webhook.server";

function delivery(deliveryId = randomUUID()) {
  return {
    source: "shopify" as const,
    deliveryId,
    topic: "APP_UNINSTALLED",
    shopDomain: "a.myshopify.com",
  };
}

describe("processInboundWebhookOnce", () => {
  it("applies an event once when the same delivery arrives 8 times at once", async () => {
    const event = delivery();
    let applied = 0;
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () =>
        processInboundWebhookOnce(event, async () => {
          applied++;
          return "done";
        }),
      ),
    );
    expect(applied).toBe(1);
    expect(outcomes.filter((outcome) => !outcome.duplicate)).toEqual([
      { duplicate: false, result: "done" },
    ]);
  });

  it("records nothing when the handler fails, so the retry is applied", async () => {
    // GIVEN a first delivery whose handler fails
    const event = delivery();
    await expect(
      processInboundWebhookOnce(event, async () => {
        throw new Error("database hiccup");
      }),
    ).rejects.toThrow("database hiccup");
    expect(await findInboundWebhookDelivery(event)).toBeNull();
    // WHEN Shopify retries
    const retry = await processInboundWebhookOnce(event, async () => "applied");
    // THEN it is applied and recorded
    expect(retry).toEqual({ duplicate: false, result: "applied" });
    expect(await findInboundWebhookDelivery(event)).toMatchObject({ topic: "APP_UNINSTALLED" });
  });

  it("keeps deliveries of different sources apart", async () => {
    const deliveryId = randomUUID();
    const shopify = await processInboundWebhookOnce(delivery(deliveryId), async () => 1);
    const clerk = await processInboundWebhookOnce(
      { ...delivery(deliveryId), source: "clerk" },
      async () => 2,
    );
    expect([shopify.duplicate, clerk.duplicate]).toEqual([false, false]);
  });
});
