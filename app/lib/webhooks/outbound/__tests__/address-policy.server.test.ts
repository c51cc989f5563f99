// SSRF protection in production mode: an endpoint must be https and public. Refused when saved
// and, what protects against DNS rebinding, when each attempt connects (the address the name
// resolves to then). A receiver on loopback proves nothing reached it.
import { describe, expect, it } from "vitest";

import { parseEnvironment } from "~/env.server";
import { addressPolicyOf, checkEndpointUrl } from "~/lib/webhooks/outbound/address-policy.server";
import { postWebhook } from "~/lib/webhooks/outbound/deliver.server";
import { signWebhook } from "~/lib/webhooks/outbound/sign.server";
import { startWebhookReceiver } from "~/test/webhooks";

const PRODUCTION = {
  NODE_ENV: "production",
  DATABASE_URL: "postgresql://app@db.internal:5432/app",
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://referrals.example.com",
  APP_SECRET: "a-production-secret-that-is-long-enough-0123",
  CLERK_PUBLISHABLE_KEY: "pk_live_x",
  CLERK_SECRET_KEY: "sk_live_x",
};

const production = addressPolicyOf(parseEnvironment(PRODUCTION));

describe("where outbound webhooks may go", () => {
  it("never allows loopback in production, whatever the environment says", () => {
    expect(production.allowLoopback).toBe(false);
    expect(() => parseEnvironment({ ...PRODUCTION, WEBHOOK_ALLOW_LOOPBACK: "true" })).toThrow(
      /WEBHOOK_ALLOW_LOOPBACK: never allowed when NODE_ENV=production/,
    );
  });

  it.each([
    ["http://hooks.example.com/x", "must start with https://"],
    ["https://127.0.0.1/x", "must not point to this machine (localhost, 127.0.0.1, ::1)"],
    ["https://localhost:8443/x", "must not point to this machine (localhost, 127.0.0.1, ::1)"],
    ["https://[::1]/x", "must not point to this machine (localhost, 127.0.0.1, ::1)"],
    ["https://10.0.0.1/x", "must be a public address (not private, link-local or an IPv6 literal)"],
    [
      "https://169.254.169.254/latest/meta-data",
      "must be a public address (not private, link-local or an IPv6 literal)",
    ],
    [
      "https://192.168.1.20/x",
      "must be a public address (not private, link-local or an IPv6 literal)",
    ],
    ["https://user:pass@hooks.example.com/x", "must not contain a user name or password"],
    ["hooks.example.com", "must be a full URL, e.g. https://example.com/webhooks"],
  ])("refuses to save %s in production", (url, problem) => {
    expect(checkEndpointUrl(url, production)).toEqual({ ok: false, problem });
  });

  it("accepts a public https URL", () => {
    expect(checkEndpointUrl("https://hooks.example.com/referrals#x", production)).toEqual({
      ok: true,
      url: "https://hooks.example.com/referrals",
    });
  });

  it.each(["127.0.0.1", "10.0.0.1", "169.254.169.254", "[::1]", "localhost"])(
    "refuses to connect to %s in production, even if the URL was saved",
    async (host) => {
      // GIVEN a receiver listening on loopback
      const receiver = await startWebhookReceiver();
      const port = new URL(receiver.url).port;
      try {
        // WHEN an attempt goes to that host under the production policy
        const body = JSON.stringify({ type: "webhook.test" });
        const result = await postWebhook({
          url: `https://${host}:${port}/hooks`,
          body,
          headers: signWebhook({
            messageId: "msg_test",
            timestamp: new Date(),
            body,
            secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
          }),
          timeoutMs: 2_000,
          policy: production,
        });
        // THEN it is refused before anything is sent
        expect(result.statusCode).toBeNull();
        expect(result.error).toMatch(/is not allowed\. Because,? It is (private|meta) IP address/);
        expect(receiver.requests).toHaveLength(0);
      } finally {
        await receiver.close();
      }
    },
  );

  it("lets tests reach loopback over http only when loopback is allowed explicitly", async () => {
    const receiver = await startWebhookReceiver();
    try {
      const attempt = (allowLoopback: boolean) =>
        postWebhook({
          url: `${receiver.url}/hooks`,
          body: "{}",
          headers: signWebhook({
            messageId: "msg_test",
            timestamp: new Date(),
            body: "{}",
            secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
          }),
          timeoutMs: 2_000,
          policy: { allowLoopback },
        });
      expect((await attempt(false)).error).toBe("refused: only https:// endpoints");
      expect((await attempt(true)).statusCode).toBe(204);
      expect(receiver.requests).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });
});
