import { describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { anonymousVisitorId, hashVisitor } from "~/lib/infra/keyed-hash.server";
import { verifyClickId } from "~/lib/referral-links/cookie.server";
import { changeStoreStatus } from "~/models/store.server";
import { loader } from "~/routes/r.$code";
import { usePostHogFake } from "~/test/analytics";
import { createTestStore } from "~/test/builders";
import {
  BROWSER_USER_AGENT,
  INSTAGRAM_IN_APP_USER_AGENT,
  setCookiesOf,
  shopperRequest,
  uniqueClientIp,
  withTrustedProxyHops,
} from "~/test/shopper";

const posthog = usePostHogFake();

const COOKIE_ATTRIBUTES = ["Max-Age=2592000", "Path=/", "HttpOnly", "SameSite=Lax", "Secure"];

/** GET /r/<code> through the route's loader, as Remix calls it (the code param decoded). */
async function followLink(
  codeSegment: string,
  options: Parameters<typeof shopperRequest>[1] & { query?: string } = {},
) {
  const request = shopperRequest(`/r/${codeSegment}${options.query ?? ""}`, options);
  return loader({
    request,
    params: { code: decodeURIComponent(codeSegment) },
    context: { clientAddress: "127.0.0.1" },
  });
}

function clickIdOf(response: Response) {
  const cookie = setCookiesOf(response).find((entry) => entry.name === "ref_click");
  return verifyClickId(cookie?.value);
}

/** What a visitor can observe of a response, cookie values left out. */
function shapeOf(response: Response) {
  return {
    status: response.status,
    location: response.headers.get("location"),
    cacheControl: response.headers.get("cache-control"),
    headerNames: [...response.headers.keys()].sort(),
    cookies: setCookiesOf(response).map(({ name, attributes }) => ({ name, attributes })),
    // The UUID version of the click id: a decoy must be made like a recorded click's id.
    clickIdVersion: clickIdOf(response)?.[14] ?? null,
  };
}

function clicksOfStore(storeId: number) {
  return db.prisma.storeReferral.findMany({ where: { storeId } });
}

describe("GET /r/:code", () => {
  it("records which paid-ad click id parameters were on the link, by name only", async () => {
    // GIVEN an active store, and a link from a paid ad (Google's and TikTok's click ids)
    const store = await createTestStore();
    // WHEN a shopper follows it
    const response = await followLink(store.referralCode, {
      query: "?utm_source=google&gclid=Cj0KCQ-SECRET&ttclid=E.C.P.secret2&msclkid",
    });
    // THEN the click's own column keeps the names of the click id parameters, never a value
    // (the source URL's query is minimised by issue 13, not relied on here)
    expect(response.status).toBe(302);
    const [click] = await clicksOfStore(store.id);
    expect(click?.adClickIds).toEqual(["gclid", "msclkid", "ttclid"]);
    expect(JSON.stringify(click?.adClickIds)).not.toMatch(/SECRET|secret2/);
  });

  it("records no ad click id for a link without one", async () => {
    const store = await createTestStore();
    await followLink(store.referralCode, { query: "?utm_source=instagram" });
    expect((await clicksOfStore(store.id))[0]?.adClickIds).toEqual([]);
  });
  it("redirects a shopper to the landing page with the referral cookie and a signed click cookie", async () => {
    // GIVEN an active store
    const store = await createTestStore();
    // WHEN a shopper follows its short link
    const response = await followLink(store.referralCode);
    // THEN a 302 to / sets `ref` (the code) and `ref_click` (the recorded click), 30 days
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/");
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const cookies = setCookiesOf(response);
    expect(cookies.map(({ name }) => name)).toEqual(["ref", "ref_click"]);
    expect(cookies[0]).toEqual({
      name: "ref",
      value: store.referralCode,
      attributes: COOKIE_ATTRIBUTES,
    });
    expect(cookies[1]!.attributes).toEqual(COOKIE_ATTRIBUTES);
    // AND the click cookie names the committed click row
    const clickId = clickIdOf(response);
    expect(clickId).not.toBeNull();
    const rows = await clicksOfStore(store.id);
    expect(rows.map((row) => [row.id, row.status, row.channel, row.utmParams])).toEqual([
      [clickId, "clicked", "link", null],
    ]);
  });

  it("records the UTM parameters, channel and source URL, keeps them in the redirect and fires STORE_REFERRAL_LINK_CLICKED", async () => {
    const store = await createTestStore();
    const clientIp = uniqueClientIp();
    // WHEN a shopper scans the QR code of a spring campaign
    const response = await followLink(store.referralCode, {
      clientIp,
      query: "?utm_source=instagram&utm_medium=social&utm_campaign=spring&channel=qr&fbclid=abc",
    });
    // THEN the redirect keeps the UTM values and the channel (and nothing else)
    expect(response.headers.get("location")).toBe(
      "/?utm_source=instagram&utm_medium=social&utm_campaign=spring&channel=qr",
    );
    const [row] = await clicksOfStore(store.id);
    expect(row).toMatchObject({
      id: clickIdOf(response),
      channel: "qr",
      utmParams: { utm_source: "instagram", utm_medium: "social", utm_campaign: "spring" },
      // Minimised (docs/privacy.md): the known parameters only, fbclid dropped.
      sourceUrl: `https://store-referrals.test/r/${store.referralCode}?channel=qr&utm_source=instagram&utm_medium=social&utm_campaign=spring`,
    });
    // AND exactly one event, with an anonymous visitor id (never the IP or user agent)
    const events = await posthog.received(
      (event) => event.properties.referral_code === store.referralCode,
    );
    expect(events).toEqual([
      {
        event: "STORE_REFERRAL_LINK_CLICKED",
        distinctId: anonymousVisitorId(
          hashVisitor({ ip: clientIp, userAgent: BROWSER_USER_AGENT }),
        ),
        properties: {
          referral_code: store.referralCode,
          store_id: store.id,
          channel: "qr",
          utm_source: "instagram",
          utm_medium: "social",
          utm_campaign: "spring",
          $process_person_profile: false,
        },
      },
    ]);
    expect(events[0]!.distinctId).toMatch(/^visitor-[A-Za-z0-9_-]{24}$/);
  });

  it("truncates UTM values to 256 characters and takes the first of repeated parameters", async () => {
    const store = await createTestStore();
    const long = "x".repeat(300);
    const response = await followLink(store.referralCode, {
      query: `?utm_source=${long}&utm_source=second&utm_campaign=%F0%9F%8C%B1spring&channel=billboard&channel=qr`,
    });
    const [row] = await clicksOfStore(store.id);
    expect(row!.utmParams).toEqual({ utm_source: "x".repeat(256), utm_campaign: "🌱spring" });
    // An unknown first channel is dropped (the click counts as a plain link), not replaced.
    expect(row!.channel).toBe("link");
    expect(response.headers.get("location")).toBe(
      `/?utm_source=${"x".repeat(256)}&utm_campaign=%F0%9F%8C%B1spring`,
    );
  });

  it("never splits a character or keeps control characters when it shortens a UTM value", async () => {
    const store = await createTestStore();
    // 255 characters then an emoji (two UTF-16 units) straddling the limit, and a NUL byte
    const value = `${"a".repeat(255)}🌱`;
    const response = await followLink(store.referralCode, {
      query: `?utm_source=${encodeURIComponent(value)}&utm_term=a%00b%0Ac`,
    });
    expect(clickIdOf(response)).not.toBeNull();
    const [row] = await clicksOfStore(store.id);
    expect(row!.utmParams).toEqual({ utm_source: "a".repeat(255), utm_term: "abc" });
  });

  it("answers a well-formed code of no active store exactly like a known one, apart from cookie values", async () => {
    // GIVEN an active store, a suspended one and a code no store has
    const known = await createTestStore();
    const suspended = await createTestStore();
    await changeStoreStatus({
      shopDomain: suspended.shopDomain,
      to: "suspended",
      actor: "operator",
    });
    const query = "?utm_source=instagram";
    // WHEN shoppers follow the three links
    const knownResponse = await followLink(known.referralCode, { query });
    const unknownResponse = await followLink("store-nobody-9f3a", { query });
    const suspendedResponse = await followLink(suspended.referralCode, { query });
    // THEN the responses have the same shape, including a signed click cookie
    expect(shapeOf(unknownResponse)).toEqual(shapeOf(knownResponse));
    expect(shapeOf(suspendedResponse)).toEqual(shapeOf(knownResponse));
    const decoyId = clickIdOf(unknownResponse);
    expect(decoyId).not.toBeNull();
    // AND nothing is recorded for the unknown or suspended code: the decoy matches no row
    expect(await db.prisma.storeReferral.count({ where: { id: decoyId! } })).toBe(0);
    expect(await clicksOfStore(suspended.id)).toEqual([]);
  });

  it.each([
    ["punctuation", "!!!"],
    ["65 characters", `store-${"a".repeat(59)}`],
    ["a control character", "store-chen%00-a1b2"],
    ["a newline", "store-chen%0A-a1b2"],
    ["an encoded slash", "store-chen%2F..%2Fa1b2"],
  ])("redirects an invalid code (%s) to the landing page without a cookie", async (_, segment) => {
    const response = await followLink(segment, { query: "?utm_source=ig" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/?utm_source=ig");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(
      await posthog.received(
        (event) => event.properties.referral_code === decodeURIComponent(segment),
      ),
    ).toEqual([]);
  });

  it("keeps a generic (non-store) code in the cookie, records nothing and fires no store event", async () => {
    const code = `friend-code-${Date.now()}`;
    const response = await followLink(code);
    expect(setCookiesOf(response)).toEqual([
      { name: "ref", value: code, attributes: COOKIE_ATTRIBUTES },
    ]);
    expect(await db.prisma.storeReferral.count({ where: { referralCode: code } })).toBe(0);
    expect(await posthog.received((event) => event.properties.referral_code === code)).toEqual([]);
  });

  it.each([
    [
      "facebookexternalhit",
      "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    ],
    ["Twitterbot", "Twitterbot/1.0"],
    ["Slackbot", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"],
    [
      "LinkedInBot",
      "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    ],
    ["WhatsApp", "WhatsApp/2.23.20.0 A"],
    ["Discordbot", "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)"],
    ["TelegramBot", "TelegramBot (like TwitterBot)"],
    ["Googlebot", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"],
    ["curl", "curl/8.4.0"],
    ["no user agent", null],
  ])("gives %s the same redirect, uncounted and without a cookie", async (_, userAgent) => {
    const store = await createTestStore();
    const response = await followLink(store.referralCode, {
      userAgent,
      query: "?utm_source=ig&channel=qr",
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/?utm_source=ig&channel=qr");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await clicksOfStore(store.id)).toEqual([]);
    expect(
      await posthog.received((event) => event.properties.referral_code === store.referralCode),
    ).toEqual([]);
  });

  it("gives a HEAD request the same redirect, uncounted and without a cookie", async () => {
    const store = await createTestStore();
    const response = await followLink(store.referralCode, { method: "HEAD" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await clicksOfStore(store.id)).toEqual([]);
  });

  it("counts a shopper in Instagram's in-app browser as a person", async () => {
    const store = await createTestStore();
    const response = await followLink(store.referralCode, {
      userAgent: INSTAGRAM_IN_APP_USER_AGENT,
    });
    expect(setCookiesOf(response).map(({ name }) => name)).toEqual(["ref", "ref_click"]);
    expect(await clicksOfStore(store.id)).toHaveLength(1);
  });

  it("counts a visitor's repeated clicks within the hour once, acknowledging the same click", async () => {
    const store = await createTestStore();
    const clientIp = uniqueClientIp();
    const first = await followLink(store.referralCode, { clientIp });
    const second = await followLink(store.referralCode, { clientIp });
    expect(clickIdOf(second)).toBe(clickIdOf(first));
    expect(await clicksOfStore(store.id)).toHaveLength(1);
  });

  it.each([
    ["a next parameter", "?next=//evil.com"],
    ["a redirect parameter", "?redirect=https%3A%2F%2Fevil.com&url=https://evil.com"],
    ["a UTM value that looks like a host", "?utm_source=//evil.com"],
  ])("never redirects off the site (%s)", async (_, query) => {
    const store = await createTestStore();
    const response = await followLink(store.referralCode, { query });
    const location = response.headers.get("location")!;
    expect(location).toMatch(/^\/(\?|$)/);
    expect(new URL(location, "https://store-referrals.test").origin).toBe(
      "https://store-referrals.test",
    );
  });

  it("never redirects off the site for a code made of encoded slashes", async () => {
    const response = await followLink("%2F%2Fevil.com");
    expect(response.headers.get("location")).toBe("/");
    expect(response.headers.getSetCookie()).toEqual([]);
  });
});

describe("GET /r/:code: the visitor's address", () => {
  /** A click arriving from the connection peer `peer` with the whole X-Forwarded-For `forwardedFor`. */
  function clickFrom(code: string, peer: string, forwardedFor: string) {
    return loader({
      request: shopperRequest(`/r/${code}`, { forwardedFor }),
      params: { code },
      context: { clientAddress: peer },
    });
  }

  it("counts once the clicks of one visitor who invents a new first X-Forwarded-For entry each time", async () => {
    // GIVEN one load balancer in front (the default TRUSTED_PROXY_HOPS=1), which appends the
    // visitor's real address after whatever the client wrote
    const store = await createTestStore();
    const peer = uniqueClientIp();
    const visitor = uniqueClientIp();
    // WHEN one visitor (one user agent) clicks ten times, each time with an invented first entry
    const responses = [];
    for (let index = 0; index < 10; index++) {
      responses.push(await clickFrom(store.referralCode, peer, `${uniqueClientIp()}, ${visitor}`));
    }
    // THEN one click is counted, and every response acknowledges that same click
    expect(await clicksOfStore(store.id)).toHaveLength(1);
    expect(new Set(responses.map(clickIdOf))).toEqual(new Set([clickIdOf(responses[0]!)]));
  });

  it("counts distinct visitors behind one load balancer apart", async () => {
    // GIVEN three visitors, every request reaching the app from the load balancer's one address
    const store = await createTestStore();
    const loadBalancer = uniqueClientIp();
    // WHEN each clicks (one of them with a header of its own in front)
    await clickFrom(store.referralCode, loadBalancer, uniqueClientIp());
    await clickFrom(store.referralCode, loadBalancer, uniqueClientIp());
    await clickFrom(store.referralCode, loadBalancer, `203.0.113.1, ${uniqueClientIp()}`);
    // THEN three clicks are counted
    expect(await clicksOfStore(store.id)).toHaveLength(3);
  });

  it("ignores X-Forwarded-For with TRUSTED_PROXY_HOPS=0 and counts the connection's peer", async () => {
    await withTrustedProxyHops(0, async () => {
      // GIVEN no proxy in front: the peer is the visitor
      const store = await createTestStore();
      const peer = uniqueClientIp();
      // WHEN one peer clicks ten times with ten different headers
      for (let index = 0; index < 10; index++) {
        await clickFrom(store.referralCode, peer, `${uniqueClientIp()}, ${uniqueClientIp()}`);
      }
      // THEN one click is counted
      expect(await clicksOfStore(store.id)).toHaveLength(1);
    });
  });

  it("takes the entry two hops from the right with TRUSTED_PROXY_HOPS=2", async () => {
    await withTrustedProxyHops(2, async () => {
      // GIVEN a CDN in front of the load balancer: the CDN appends the visitor, the balancer the CDN
      const store = await createTestStore();
      const peer = uniqueClientIp();
      const visitor = uniqueClientIp();
      // WHEN one visitor clicks ten times through ten CDN edges, inventing a first entry each time
      for (let index = 0; index < 10; index++) {
        const forwardedFor = `${uniqueClientIp()}, ${visitor}, ${uniqueClientIp()}`;
        await clickFrom(store.referralCode, peer, forwardedFor);
      }
      // THEN one click is counted
      expect(await clicksOfStore(store.id)).toHaveLength(1);
    });
  });

  it.each([
    ["fewer entries than trusted hops", 2, () => uniqueClientIp()],
    ["an empty last entry", 1, () => `${uniqueClientIp()},`],
    ["an empty header", 1, () => " "],
  ])("falls back to the connection's peer for %s", async (_, hops, forwardedFor) => {
    await withTrustedProxyHops(hops, async () => {
      // GIVEN a header that does not hold the visitor's address
      const store = await createTestStore();
      const peer = uniqueClientIp();
      // WHEN one peer clicks three times, with a different such header each time
      for (let index = 0; index < 3; index++) {
        await clickFrom(store.referralCode, peer, forwardedFor());
      }
      // THEN the peer is the visitor: one click
      expect(await clicksOfStore(store.id)).toHaveLength(1);
    });
  });
});
