// The demo's webhook receiver: subscribed to the demo store on loopback, it verifies and counts
// what the worker delivers after a sign-up; without loopback allowed it does not start.
import { afterEach, describe, expect, it } from "vitest";

import { startDemoWebhookReceiver } from "~/demo/webhook-receiver.server";
import { resetEnvForTests } from "~/env.server";
import { runDueDeliveries } from "~/lib/webhooks/outbound/worker.server";
import { recordReferralSignup } from "~/models/referral-signups.server";
import { listWebhookEndpoints } from "~/models/webhook-endpoint.server";
import { createTestStore, uniqueUserId } from "~/test/builders";
import { testWorkerSettings, waitFor } from "~/test/webhooks";

afterEach(() => {
  delete process.env.WEBHOOK_ALLOW_LOOPBACK;
  resetEnvForTests();
});

describe("the demo's webhook receiver", () => {
  it("receives and verifies the demo store's sign-up, and replaces its endpoint on a re-run", async () => {
    process.env.WEBHOOK_ALLOW_LOOPBACK = "true";
    resetEnvForTests();
    const store = await createTestStore();
    const log = (message: string) => logged.push(message);
    const logged: string[] = [];
    await startDemoWebhookReceiver({ storeId: store.id, log });
    const receiver = await startDemoWebhookReceiver({ storeId: store.id, log });
    expect(await listWebhookEndpoints({ storeId: store.id })).toMatchObject([
      { url: receiver.url },
    ]);
    await recordReferralSignup({ referralCode: store.referralCode, userId: uniqueUserId() });
    await waitFor(async () => {
      await runDueDeliveries(testWorkerSettings());
      return receiver.received() === 1;
    });
    expect(logged).toContainEqual(
      expect.stringMatching(
        /^webhook received: referral\.signed_up msg_\w+ \(signature verified\)$/,
      ),
    );
  });

  it("does not start unless loopback endpoints are allowed", async () => {
    const store = await createTestStore();
    await expect(startDemoWebhookReceiver({ storeId: store.id, log: () => {} })).rejects.toThrow(
      /WEBHOOK_ALLOW_LOOPBACK/,
    );
  });
});
