import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { applyInboundWebhookOnce } from "~/lib/webhooks/inbound.server";
import { findInboundWebhookDelivery } from "~/models/inbound-webhook.server";

function delivery() {
  return { source: "clerk" as const, deliveryId: `msg_${randomUUID()}`, topic: "user.created" };
}

describe("applyInboundWebhookOnce", () => {
  it("runs the after-commit effects once the delivery is committed, and not for a replay", async () => {
    // GIVEN a delivery whose handler queues an effect
    const event = delivery();
    const effects: string[] = [];
    const handle = async ({ afterCommit }: { afterCommit(effect: () => void): void }) => {
      afterCommit(() => effects.push("event fired"));
      return "applied";
    };
    // WHEN it is delivered twice
    const first = await applyInboundWebhookOnce(event, handle);
    const replay = await applyInboundWebhookOnce(event, handle);
    // THEN the effect ran for the first one only
    expect([first, replay]).toEqual([{ duplicate: false, result: "applied" }, { duplicate: true }]);
    expect(effects).toEqual(["event fired"]);
  });

  it("runs no effect of a handler that fails, and records nothing", async () => {
    const event = delivery();
    const effects: string[] = [];
    await expect(
      applyInboundWebhookOnce(event, async ({ afterCommit }) => {
        afterCommit(() => effects.push("event fired"));
        throw new Error("attribution incomplete");
      }),
    ).rejects.toThrow("attribution incomplete");
    expect(effects).toEqual([]);
    expect(await findInboundWebhookDelivery(event)).toBeNull();
  });
});
