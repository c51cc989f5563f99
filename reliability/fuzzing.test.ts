// Fuzzing the real handlers (build/server.js: the /r/:code fast path, Express, Remix) with
// fast-check: malformed referral codes, cookies, UTM values, headers, and Shopify and Clerk
// webhook bodies. Nothing may answer 5xx, and an invalid code never gets a cookie.
import { createHmac, randomBytes } from "node:crypto";

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { isBotUserAgent } from "~/lib/referral-links/bot.server";
import { verifyClickId } from "~/lib/referral-links/cookie.server";
import { validateReferralCode } from "~/models/referral-code";
import { createTestStore } from "~/test/builders";
import {
  clerkWebhookRequest,
  startFakeClerk,
  testWebhookSecret,
  type FakeClerk,
} from "~/test/fakes/clerk";
import { BROWSER_USER_AGENT } from "~/test/shopify";
import { RELIABILITY_SHOPIFY_SECRET, startAppServer, type AppServer } from "./support/app-server";
import { cookiesSet, percentEncode, send, type RawResponse } from "./support/http";
import { describeStatuses, formatCount } from "./support/figures";

// A new seed every run (fast-check prints it with any counterexample); FUZZ_SEED=<seed> replays one.
if (process.env.FUZZ_SEED) fc.configureGlobal({ seed: Number(process.env.FUZZ_SEED) });

const RUNS = {
  codes: 3000,
  cookies: 2000,
  utm: 2000,
  headers: 1000,
  shopifyWebhooks: 1000,
  clerkWebhooks: 1000,
};

let app: AppServer;
let clerk: FakeClerk;
let webhookSecret: string;
let storeCode: string;

const statuses: number[] = [];
const serverErrors: string[] = [];
let invalidCodes = 0;
let cookiesForInvalidCodes = 0;
const utmClicks: string[] = [];
let utmClicksUnacknowledged = 0;

function observe(label: string, response: RawResponse) {
  statuses.push(response.status);
  if (response.status >= 500)
    serverErrors.push(`${label} → ${response.status} ${response.body.slice(0, 200)}`);
  return response;
}

beforeAll(async () => {
  clerk = await startFakeClerk();
  webhookSecret = testWebhookSecret();
  app = await startAppServer({
    name: "reliability-fuzzing",
    env: { CLERK_API_URL: clerk.url, CLERK_WEBHOOK_SECRET: webhookSecret },
  });
  storeCode = (await createTestStore()).referralCode;
});

afterAll(async () => {
  await app?.stop();
  await clerk?.close();
});

// Strings a shopper's browser or a script could put anywhere: every plane of Unicode, control
// characters, lone surrogates, and the characters that mean something in URLs and cookies.
const nastyString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.string({ unit: fc.constantFrom(..."%./\\?#&=;,\"' \t\n\r\u0000\u007f-_~+"), maxLength: 20 }),
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.constantFrom(
    "",
    ".",
    "..",
    "%",
    "%00",
    "%ff",
    "store-",
    "store-chen-well-a1b2",
    "a".repeat(65),
  ),
);
const validCode = fc.stringMatching(/^(store-)?[a-zA-Z0-9_-]{1,58}$/);
const codeArbitrary = fc.oneof(nastyString, validCode, fc.uint8Array({ maxLength: 40 }));
// Header values Node's client can send: tab, printable ASCII and Latin-1 (no CR, LF or NUL).
const headerValue = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
    fc.integer({ min: 0xa0, max: 0xff }).map((code) => String.fromCharCode(code)),
    fc.constant("\t"),
  ),
  maxLength: 300,
});
// Three dot-separated parts, as Clerk's session token (a JWT) has: base64url-looking text, JSON
// encoded or not, escapes, nothing.
const tokenPart = fc.oneof(
  fc.string({ unit: fc.constantFrom(..."AZaz09-_=%+/"), maxLength: 24 }),
  fc.json({ maxDepth: 1 }).map((json) => Buffer.from(json).toString("base64url")),
  headerValue.filter((value) => !value.includes(";")),
);
const tokenLike = fc.tuple(tokenPart, tokenPart, tokenPart).map((parts) => parts.join("."));
const latin1 = (value: string) => Buffer.from(value, "latin1").toString("latin1");

function codeOf(raw: string | Uint8Array): string | null {
  // What the app can see of the code once the path or query is decoded.
  return typeof raw === "string" ? raw : Buffer.from(raw).toString("utf8");
}

describe("reliability", () => {
  it("Fuzzing the real handlers", async ({ task }) => {
    const figures = () => {
      const total = Object.values(RUNS).reduce((sum, runs) => sum + runs, 0);
      task.meta.figures =
        `${formatCount(total)} inputs (${formatCount(RUNS.codes)} codes, ${formatCount(RUNS.cookies)} cookie headers, ` +
        `${formatCount(RUNS.utm)} UTM sets, ${formatCount(RUNS.headers)} header sets, ${formatCount(RUNS.shopifyWebhooks)} Shopify ` +
        `and ${formatCount(RUNS.clerkWebhooks)} Clerk webhook bodies): ${serverErrors.length} responses 5xx; ` +
        `${cookiesForInvalidCodes} cookies for ${formatCount(invalidCodes)} invalid codes; ` +
        `${formatCount(utmClicks.length - utmClicksUnacknowledged)}/${formatCount(utmClicks.length)} clicks with odd UTM values acknowledged; ` +
        `statuses ${describeStatuses(statuses)}`;
    };

    // 1. Referral codes, in the short link's path and in the landing page's ?ref=.
    await fc.assert(
      fc.asyncProperty(codeArbitrary, fc.boolean(), async (raw, shortLink) => {
        const code = codeOf(raw);
        const encoded = percentEncode(raw);
        const response = observe(
          `code ${JSON.stringify(code)}`,
          await send(app.url, {
            path: shortLink ? `/r/${encoded}?utm_source=fuzz` : `/?ref=${encoded}`,
            headers: { "user-agent": BROWSER_USER_AGENT, "x-forwarded-for": randomAddress() },
          }),
        );
        expect(response.status, serverLog()).toBeLessThan(500);
        if (validateReferralCode(code) === null) {
          invalidCodes++;
          const referralCookies = cookiesSet(response).filter((name) => name.startsWith("ref"));
          cookiesForInvalidCodes += referralCookies.length;
          expect(referralCookies).toEqual([]);
        }
      }),
      { numRuns: RUNS.codes },
    );
    figures();

    // 2. Cookie headers: random text, and our cookie names with random values.
    const cookieHeader = fc.oneof(
      headerValue,
      fc
        .record({
          ref: headerValue,
          refClick: headerValue,
          session: fc.oneof(headerValue, tokenLike),
          uat: headerValue,
        })
        .map(
          ({ ref, refClick, session, uat }) =>
            `ref=${ref}; ref_click=${refClick}; __session=${session}; __client_uat=${uat}`,
        ),
    );
    await fc.assert(
      fc.asyncProperty(
        cookieHeader,
        fc.constantFrom("/", "/auth/complete", "/welcome", "/sign-up", `/r/${storeCode}`),
        async (cookie, path) => {
          const response = observe(
            `cookie ${JSON.stringify(cookie)} on ${path}`,
            await send(app.url, {
              path,
              headers: {
                "user-agent": BROWSER_USER_AGENT,
                "x-forwarded-for": randomAddress(),
                cookie: latin1(cookie),
              },
            }),
          );
          expect(response.status, serverLog()).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS.cookies },
    );
    figures();

    // 3. UTM values and channels on a real store's links: never a dropped click because of them
    //    (one bad value in a grouped INSERT would fail every click of its batch).
    const utmParameter = fc.constantFrom(
      "utm_source",
      "utm_medium",
      "utm_campaign",
      "utm_term",
      "utm_content",
      "channel",
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(utmParameter, fc.oneof(nastyString, fc.uint8Array({ maxLength: 300 }))), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.boolean(),
        async (parameters, shortLink) => {
          const query = parameters
            .map(([name, value]) => `${name}=${percentEncode(value)}`)
            .join("&");
          const path = shortLink ? `/r/${storeCode}?${query}` : `/?ref=${storeCode}&${query}`;
          const response = observe(
            `UTM ${path}`,
            await send(app.url, {
              path,
              headers: { "user-agent": BROWSER_USER_AGENT, "x-forwarded-for": randomAddress() },
            }),
          );
          expect(response.status, serverLog()).toBeLessThan(500);
          const clickCookie = response.setCookies
            .map((cookie) => /^ref_click=([^;]+)/.exec(cookie)?.[1])
            .find(Boolean);
          const clickId = verifyClickId(clickCookie);
          utmClicks.push(clickId ?? "");
          if (!clickId) utmClicksUnacknowledged++;
          expect(clickId).not.toBeNull();
        },
      ),
      { numRuns: RUNS.utm },
    );
    const { rows } = await db.pool.query<{ found: number }>(
      `SELECT count(*)::int AS "found" FROM "StoreReferral" WHERE "id" = ANY($1::uuid[])`,
      [utmClicks.filter(Boolean)],
    );
    expect(rows[0]?.found).toBe(new Set(utmClicks.filter(Boolean)).size);
    figures();

    // 4. Headers: user agents, forwarded addresses, languages, referers of any shape.
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          userAgent: fc.oneof(headerValue, fc.constant(BROWSER_USER_AGENT)),
          forwardedFor: headerValue,
          acceptLanguage: headerValue,
          referer: headerValue,
          accept: headerValue,
        }),
        fc.constantFrom(`/r/${storeCode}`, `/?ref=${storeCode}`, "/r/store-nobody-0000"),
        async (values, path) => {
          const headers: Record<string, string> = {
            "x-forwarded-for": latin1(values.forwardedFor),
            "accept-language": latin1(values.acceptLanguage),
            referer: latin1(values.referer),
            accept: latin1(values.accept),
          };
          if (values.userAgent) headers["user-agent"] = latin1(values.userAgent);
          const response = observe(
            `headers ${JSON.stringify(headers)} on ${path}`,
            await send(app.url, { path, headers }),
          );
          expect(response.status, serverLog()).toBeLessThan(500);
          // Bots and scripts without a User-Agent are redirected uncounted, without a cookie.
          if (isBotUserAgent(headers["user-agent"])) expect(cookiesSet(response)).toEqual([]);
        },
      ),
      { numRuns: RUNS.headers },
    );
    figures();

    // 5. Shopify webhooks: any body, signed or not, for every topic the app declares.
    const topics = [
      "app/uninstalled",
      "app/scopes_update",
      "customers/data_request",
      "customers/redact",
      "shop/redact",
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.json(),
          fc.string({ unit: "binary", maxLength: 500 }),
          fc.jsonValue().map((value) => JSON.stringify(value)),
        ),
        fc.constantFrom(...topics),
        fc.oneof(headerValue, fc.constant("fuzz-shop.myshopify.com")),
        fc.boolean(),
        async (body, topic, shopDomain, signed) => {
          const hmac = createHmac("sha256", signed ? RELIABILITY_SHOPIFY_SECRET : "not-the-secret")
            .update(body, "utf8")
            .digest("base64");
          const response = observe(
            `Shopify ${topic} ${JSON.stringify(body).slice(0, 120)}`,
            await send(app.url, {
              method: "POST",
              path: `/webhooks/${topic}`,
              body,
              headers: {
                "content-type": "application/json",
                "x-shopify-topic": topic,
                "x-shopify-shop-domain": latin1(shopDomain),
                "x-shopify-hmac-sha256": hmac,
                "x-shopify-api-version": "2025-10",
                "x-shopify-webhook-id": randomBytes(8).toString("hex"),
                "x-shopify-event-id": randomBytes(8).toString("hex"),
              },
            }),
          );
          expect(response.status, serverLog()).toBeLessThan(500);
          // Unsigned: refused (401, or 400 when a required header is missing as well).
          if (!signed) expect([400, 401]).toContain(response.status);
        },
      ),
      { numRuns: RUNS.shopifyWebhooks },
    );
    figures();

    // 6. Clerk webhooks: random bodies (signed or not), signed user.created events with any
    //    unsafe metadata, and user.deleted events with any data (an id or garbage: an erasure
    //    or a 400, never a 5xx). Created users have Clerk-shaped ids and exist in the fake (a
    //    missing user is Clerk failing, which the route answers 503 on purpose so that svix retries).
    const userCreated = fc
      .record({
        id: fc.stringMatching(/^user_[A-Za-z0-9]{10,27}$/),
        metadata: fc.oneof(
          fc.jsonValue(),
          fc.record({
            referral_code: fc.oneof(nastyString, validCode, fc.jsonValue()),
            referral_click: fc.oneof(nastyString, fc.jsonValue()),
          }),
          fc.record({ referral_code: fc.constant(storeCode), referral_click: nastyString }),
        ),
        // What the sign-up quality checks read (issue 14): any e-mail list Clerk could send.
        emails: fc.oneof(
          fc.jsonValue(),
          fc.array(
            fc.oneof(
              fc.record({ email_address: fc.oneof(nastyString, fc.emailAddress()) }),
              fc.jsonValue(),
            ),
            { maxLength: 5 },
          ),
        ),
      })
      .map(({ id, metadata, emails }) => ({
        payload: {
          type: "user.created",
          object: "event",
          data: { id, object: "user", unsafe_metadata: metadata, email_addresses: emails },
        },
        userId: id,
      }));
    const userDeleted = fc
      .oneof(
        fc.jsonValue(),
        fc.record({
          id: fc.oneof(nastyString, fc.stringMatching(/^user_[A-Za-z0-9]{1,64}$/), fc.jsonValue()),
          object: fc.constant("user"),
          deleted: fc.jsonValue(),
        }),
      )
      .map((data) => ({
        payload: { type: "user.deleted", object: "event", data },
        userId: null,
      }));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          userCreated,
          userDeleted,
          fc.jsonValue().map((payload) => ({ payload, userId: null })),
          fc
            .record({ type: nastyString, data: fc.jsonValue() })
            .map((payload) => ({ payload, userId: null })),
        ),
        fc.boolean(),
        async ({ payload, userId }, signed) => {
          if (userId && !clerk.users.has(userId)) clerk.addUser(userId);
          const request = clerkWebhookRequest(payload, {
            secret: webhookSecret,
            signWith: signed ? webhookSecret : testWebhookSecret(),
          });
          const headers: Record<string, string> = {};
          request.headers.forEach((value, name) => (headers[name] = value));
          const response = observe(
            `Clerk ${JSON.stringify(payload).slice(0, 120)}`,
            await send(app.url, {
              method: "POST",
              path: "/webhooks/clerk",
              headers,
              body: await request.text(),
            }),
          );
          expect(response.status, serverLog()).toBeLessThan(500);
          if (!signed) expect(response.status).toBe(401);
        },
      ),
      { numRuns: RUNS.clerkWebhooks },
    );
    figures();

    expect(serverErrors).toEqual([]);
    expect(cookiesForInvalidCodes).toBe(0);
    expect(app.running()).toBe(true);
  });
});

/** The end of the server's output, shown when a response was 5xx. */
function serverLog() {
  return `server output:\n${app.output().slice(-3000)}`;
}

let addressSerial = 0;
function randomAddress() {
  addressSerial++;
  return `192.0.${(addressSerial >> 8) & 255}.${addressSerial & 255}`;
}
