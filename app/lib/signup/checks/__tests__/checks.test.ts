// The sign-up quality checks' rules, one by one, and (property tests) that none of them throws
// on any input an identity provider or a visitor can produce.
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { adClickIdsOf } from "~/lib/signup/checks/ad-click-ids";
import { checkDisposableEmail } from "~/lib/signup/checks/disposable-email.server";
import { domainAndParents, parseEmailAddress } from "~/lib/signup/checks/email-address";
import {
  isDisposableMailDomain,
  isPublicMailDomain,
} from "~/lib/signup/checks/mail-domains.server";
import { flagCategoriesOf, FLAG_REASONS } from "~/lib/signup/checks/reasons";
import { checkRepeatVisitor } from "~/lib/signup/checks/repeat-visitor";
import { checkSelfReferral, ownerEmailFingerprint } from "~/lib/signup/checks/self-referral.server";
import { checkSignupBurst, signupBurstThreshold } from "~/lib/signup/checks/signup-burst";
import { parseEmailAddresses } from "~/lib/signup/checks/signup-checks.server";

const emails = (...values: string[]) => parseEmailAddresses(values);

describe("parseEmailAddress", () => {
  it("normalizes case, spaces and an IDN domain to its ASCII form", () => {
    expect(parseEmailAddress("  Chen@Example.COM ")).toEqual({
      address: "chen@example.com",
      domain: "example.com",
    });
    expect(parseEmailAddress("anna@bücher.example")).toEqual({
      address: "anna@xn--bcher-kva.example",
      domain: "xn--bcher-kva.example",
    });
  });

  it("gives null for what is not an address", () => {
    for (const value of [
      "",
      "no-at-sign",
      "@example.com",
      "chen@",
      "chen@localhost",
      "chen\u0000@example.com",
      "chen\ud800@example.com",
      "che n@example.com",
      `${"a".repeat(400)}@example.com`,
      "chen@exa mple.com",
      42,
      null,
      { email: "chen@example.com" },
    ]) {
      expect(parseEmailAddress(value)).toBeNull();
    }
  });

  it("lists a domain and its parents", () => {
    expect(domainAndParents("a.b.example.com")).toEqual([
      "a.b.example.com",
      "b.example.com",
      "example.com",
    ]);
  });
});

describe("the mail domain lists (maintained packages)", () => {
  it("knows throwaway domains, also as subdomains", () => {
    expect(isDisposableMailDomain("mailinator.com")).toBe(true);
    expect(isDisposableMailDomain("inbox.mailinator.com")).toBe(true);
    expect(isDisposableMailDomain("chen-wellness.com")).toBe(false);
  });

  it("knows public mail providers", () => {
    for (const domain of ["gmail.com", "outlook.com", "gmx.de", "yahoo.co.jp"]) {
      expect(isPublicMailDomain(domain)).toBe(true);
    }
    expect(isPublicMailDomain("chen-wellness.com")).toBe(false);
  });
});

describe("self-referral", () => {
  const owner = ownerEmailFingerprint(["Owner@Chen-Wellness.com", "chen.owner@gmail.com"]);

  it("keeps keyed hashes and the non-public domain only, never an address", () => {
    expect(owner.emailHashes).toHaveLength(2);
    expect(owner.emailDomains).toEqual(["chen-wellness.com"]);
    expect(JSON.stringify(owner)).not.toMatch(/owner|chen\.owner|gmail/i);
  });

  it("flags the owner's own address, whatever its case", () => {
    expect(checkSelfReferral(emails("OWNER@chen-wellness.com"), owner)).toBe("self_referral_email");
    expect(checkSelfReferral(emails("chen.owner@GMAIL.com"), owner)).toBe("self_referral_email");
  });

  it("flags an address of the owner's own (non-public) domain", () => {
    expect(checkSelfReferral(emails("staff@chen-wellness.com"), owner)).toBe(
      "self_referral_domain",
    );
  });

  it("does not flag another address of a public provider the owner also uses", () => {
    expect(checkSelfReferral(emails("someone.else@gmail.com"), owner)).toBeNull();
    expect(checkSelfReferral(emails("shopper@other-shop.com"), owner)).toBeNull();
  });

  it("flags when any of the user's addresses matches", () => {
    expect(checkSelfReferral(emails("shopper@gmail.com", "owner@chen-wellness.com"), owner)).toBe(
      "self_referral_email",
    );
  });
});

describe("disposable e-mail", () => {
  it("flags a throwaway domain only", () => {
    expect(checkDisposableEmail(emails("x@mailinator.com"))).toBe("disposable_email");
    expect(checkDisposableEmail(emails("x@gmail.com"))).toBeNull();
  });
});

describe("repeat visitor", () => {
  const rule = { maxPerWindow: 2, windowMinutes: 60 };
  it("flags a sign-up once the visitor already made the allowed number in the window", () => {
    expect(checkRepeatVisitor({ earlierSignups: 0 }, rule)).toBeNull();
    expect(checkRepeatVisitor({ earlierSignups: 1 }, rule)).toBeNull();
    expect(checkRepeatVisitor({ earlierSignups: 2 }, rule)).toBe("repeat_visitor");
  });
});

describe("sign-up burst", () => {
  const rule = { minPerHour: 10, factor: 5, baselineDays: 7 };
  it("flags past the minimum for a store with a low usual rate", () => {
    expect(signupBurstThreshold(0, rule)).toBe(10);
    expect(checkSignupBurst({ lastHourSignups: 9, baselineSignups: 0 }, rule)).toBeNull();
    expect(checkSignupBurst({ lastHourSignups: 10, baselineSignups: 0 }, rule)).toBe(
      "signup_burst",
    );
  });

  it("flags past factor × the usual hourly rate for a busy store", () => {
    // 7 days × 24 h × 4/h = 672: a usual rate of 4 an hour, so the threshold is 20.
    expect(signupBurstThreshold(672, rule)).toBe(20);
    expect(checkSignupBurst({ lastHourSignups: 19, baselineSignups: 672 }, rule)).toBeNull();
    expect(checkSignupBurst({ lastHourSignups: 20, baselineSignups: 672 }, rule)).toBe(
      "signup_burst",
    );
  });
});

describe("paid-ad click ids", () => {
  it("records the names of the click id parameters present, never their values", () => {
    const query = new URLSearchParams("utm_source=x&gclid=SECRET&ttclid=&fbclid=abc&other=1");
    expect(adClickIdsOf(query)).toEqual(["gclid", "fbclid", "ttclid"]);
    expect(adClickIdsOf(new URLSearchParams("utm_source=x"))).toEqual([]);
    expect(adClickIdsOf(null)).toEqual([]);
  });
});

describe("reason categories", () => {
  it("gives every reason a category, and skips unknown codes", () => {
    expect(flagCategoriesOf([...FLAG_REASONS, "some_later_code"])).toEqual([
      "self_referral",
      "disposable_email",
      "repeat_visitor",
      "signup_burst",
    ]);
  });
});

// Anything an identity provider, a webhook payload or a visitor can send.
const hostileString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 400 }),
  fc.string({ unit: fc.constantFrom(..."@.\u0000\ud800\udc00 \t\n-_+%xn"), maxLength: 60 }),
  fc.string({ unit: "grapheme", maxLength: 200 }).map((local) => `${local}@${local}.com`),
  fc
    .tuple(fc.string({ unit: "grapheme", maxLength: 30 }), fc.domain())
    .map(([a, b]) => `${a}@${b}`),
  fc.emailAddress(),
  fc.nat({ max: 20_000 }).map((length) => `${"a".repeat(length)}@${"b".repeat(length)}.com`),
  fc.constantFrom("@", "@@", "a@b", "a@.", "a@-.com", "\ud800@\udc00.com", "a@xn--.com", "a@ß.de"),
);
const hostileValue = fc.oneof(hostileString, fc.anything());

describe("no check throws, whatever it is given (property tests)", () => {
  it("parsing and checking any e-mail input", () => {
    const owner = ownerEmailFingerprint(["owner@chen-wellness.com"]);
    fc.assert(
      fc.property(fc.array(hostileValue, { maxLength: 30 }), (values) => {
        const parsed = parseEmailAddresses(values);
        for (const email of parsed) expect(email.address.length).toBeLessThanOrEqual(320);
        checkSelfReferral(parsed, owner);
        checkDisposableEmail(parsed);
        ownerEmailFingerprint(values.map((value) => (typeof value === "string" ? value : null)));
      }),
      { numRuns: 2_000 },
    );
  });

  it("any visitor query string for the ad click ids", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(hostileString, hostileString), { maxLength: 10 }), (pairs) => {
        const ids = adClickIdsOf(new URLSearchParams(pairs));
        expect(ids.every((id) => ["gclid", "fbclid", "msclkid", "ttclid"].includes(id))).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it("any counts for the visitor and burst rules", () => {
    const count = fc.oneof(fc.integer(), fc.double(), fc.constant(Number.NaN));
    fc.assert(
      fc.property(count, count, fc.integer({ min: 1, max: 1000 }), (last, baseline, min) => {
        checkSignupBurst(
          { lastHourSignups: last, baselineSignups: baseline },
          { minPerHour: min, factor: 5, baselineDays: 7 },
        );
        checkRepeatVisitor({ earlierSignups: last }, { maxPerWindow: min, windowMinutes: 60 });
      }),
    );
  });
});
