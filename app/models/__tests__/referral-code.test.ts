import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  buildReferralLink,
  generateStoreReferralCode,
  isStoreReferralCode,
  slugify,
  validateReferralCode,
} from "~/models/referral-code";

const SEED_RULE = /^[a-zA-Z0-9_-]+$/;
const STORE_CODE_SHAPE = /^store-[a-z0-9-]{1,12}-[0-9a-f]{4}$/;

describe("validateReferralCode (the seeds' rule)", () => {
  it.each([
    ["store-chen-well-a1b2", "store-chen-well-a1b2"],
    ["friend-code", "friend-code"],
    ["A_b-9", "A_b-9"],
    ["x".repeat(64), "x".repeat(64)],
  ])("accepts %s", (code, expected) => {
    expect(validateReferralCode(code)).toBe(expected);
  });

  it.each([
    ["!!!"],
    [""],
    ["x".repeat(65)],
    ["store-chen\u0000"],
    ["store chen"],
    ["café"],
    ["a/b"],
    ["store-chen-well-a1b2\n"],
  ])("rejects %j", (code) => {
    expect(validateReferralCode(code)).toBeNull();
  });

  it("rejects values that are not strings", () => {
    expect(validateReferralCode(undefined)).toBeNull();
    expect(validateReferralCode(42)).toBeNull();
    expect(validateReferralCode(["store-a-0000"])).toBeNull();
  });

  it("agrees with the seed regex and the 64-character limit for any string", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (value) => {
        const expected = SEED_RULE.test(value) && value.length <= 64 ? value : null;
        expect(validateReferralCode(value)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("isStoreReferralCode", () => {
  it("is true only for valid codes with the store- prefix", () => {
    expect(isStoreReferralCode("store-chen-well-a1b2")).toBe(true);
    expect(isStoreReferralCode("friend-code")).toBe(false);
    expect(isStoreReferralCode("store-!!!")).toBe(false);
    expect(isStoreReferralCode(`store-${"x".repeat(60)}`)).toBe(false);
  });
});

describe("slugify", () => {
  it("makes URL-safe slugs from shop names", () => {
    expect(slugify("Chen Wellness")).toBe("chen-wellness");
    expect(slugify("Chen's Wellness & Co.")).toBe("chens-wellness-co");
    expect(slugify("Café Vitalité")).toBe("cafe-vitalite");
    expect(slugify("!!!")).toBe("store");
  });

  it("always returns a non-empty slug of lowercase letters, digits and single dashes", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (name) => {
        const slug = slugify(name);
        expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(slug.length).toBeLessThanOrEqual(48);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("generateStoreReferralCode", () => {
  it("follows store-{slug[:12]}-{4hex}", () => {
    expect(generateStoreReferralCode("chen-wellness", "a1b2")).toBe("store-chen-wellnes-a1b2");
    expect(generateStoreReferralCode("vitaminworld", "f3e4")).toBe("store-vitaminworld-f3e4");
    expect(generateStoreReferralCode("acme-supps", "a1b2")).toBe("store-acme-supps-a1b2");
  });

  it("never ends the slug part with a dash", () => {
    expect(generateStoreReferralCode("chen-wellne-xy", "0000")).toBe("store-chen-wellne-0000");
    expect(generateStoreReferralCode("abcdefghijk-lm", "0000")).toBe("store-abcdefghijk-0000");
  });

  it("produces codes that pass the seeds' validation and the store discriminator, for any name", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (name) => {
        const code = generateStoreReferralCode(slugify(name));
        expect(code).toMatch(STORE_CODE_SHAPE);
        expect(validateReferralCode(code)).toBe(code);
        expect(isStoreReferralCode(code)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("buildReferralLink", () => {
  it("puts the code in ?ref= on the site's landing page", () => {
    expect(buildReferralLink("https://syntropyhealth.bio", "store-chen-well-a1b2")).toBe(
      "https://syntropyhealth.bio/?ref=store-chen-well-a1b2",
    );
  });

  it("adds channel and UTM parameters, skipping empty ones", () => {
    const link = buildReferralLink("https://syntropyhealth.bio/", "store-a-0000", {
      utm_source: "instagram",
      utm_medium: "",
      channel: "qr",
    });
    expect(link).toBe(
      "https://syntropyhealth.bio/?ref=store-a-0000&utm_source=instagram&channel=qr",
    );
  });
});
