// The visit's parameters: a bad UTM value is cleaned or dropped, never an error for a shopper.
import { describe, expect, it } from "vitest";

import { referralVisitSchema, UTM_VALUE_MAX_LENGTH } from "~/schemas/referral-visit.server";

describe("referralVisitSchema: UTM values", () => {
  it.each([
    ["a lone high surrogate in the middle", "spr\ud800ing", "spring"],
    ["a lone low surrogate at the start", "\udc00spring", "spring"],
    ["a NUL character", "spr\u0000ing", "spring"],
    ["control characters", "spr\ning\t", "spring"],
    ["an emoji (kept whole)", "🌱spring", "🌱spring"],
  ])("cleans %s", (_label, value, expected) => {
    expect(referralVisitSchema.parse({ code: null, utm_campaign: value }).utm_campaign).toBe(
      expected,
    );
  });

  it("never leaves half of an emoji where the value is cut", () => {
    const value = `${"a".repeat(UTM_VALUE_MAX_LENGTH - 1)}🌱`;
    expect(referralVisitSchema.parse({ code: null, utm_source: value }).utm_source).toBe(
      "a".repeat(UTM_VALUE_MAX_LENGTH - 1),
    );
  });

  it.each([["\u0000"], ["\ud800"], ["\udc00\u0000\ud800"]])(
    "drops a value left empty (%j)",
    (value) => {
      expect(referralVisitSchema.parse({ code: null, utm_term: value }).utm_term).toBeUndefined();
    },
  );
});
