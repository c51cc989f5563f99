// The shared primitives of outside input: what they accept can always be stored and written back.
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { addDays } from "~/models/referral-stats.server";
import { ActivateReferralBody } from "~/schemas/api-v1";
import {
  DAY_MAX,
  DAY_MIN,
  day,
  isStorableText,
  isSupportedTimestamp,
  safeText,
  SAFE_TEXT_MESSAGE,
  toStorableText,
} from "~/schemas/primitives";

const messageOf = (result: { error?: { issues: Array<{ message: string }> } }) =>
  result.error?.issues[0]?.message;

describe("day", () => {
  it.each(["1970-01-01", "2024-02-29", "2026-12-01", "9999-12-30"])("accepts %s", (value) => {
    expect(day.safeParse(value)).toEqual({ success: true, data: value });
  });

  it.each(["2026-02-30", "2025-02-29", "01/01/2026", "2026-1-1", "275760-09-13", "+275760-09-13"])(
    "refuses %s as not a date",
    (value) => {
      expect(messageOf(day.safeParse(value))).toBe("must be a date (YYYY-MM-DD)");
    },
  );

  it.each(["0000-01-01", "1969-12-31", "9999-12-31"])("refuses %s as out of range", (value) => {
    expect(messageOf(day.safeParse(value))).toBe(`must be a date from ${DAY_MIN} to ${DAY_MAX}`);
  });

  it("leaves room for the day after the last one", () => {
    expect(addDays(DAY_MAX, 1)).toBe("9999-12-31");
    expect(new Date(`${addDays(DAY_MAX, 1)}T00:00:00.000Z`).toISOString()).toBe(
      "9999-12-31T00:00:00.000Z",
    );
  });

  it("shows its format in JSON Schema", async () => {
    const { z } = await import("zod");
    expect(z.toJSONSchema(day)).toMatchObject({ type: "string", format: "date" });
  });
});

describe("isSupportedTimestamp", () => {
  it.each([
    ["1970-01-01T00:00:00.000Z", true],
    ["2026-12-01T14:00:00.123Z", true],
    ["9999-12-31T23:59:59.999Z", true],
    ["1969-12-31T23:59:59.999Z", false],
    ["0000-01-01T00:00:00.000Z", false],
    ["-000001-01-01T00:00:00.000Z", false],
    ["+010000-01-01T00:00:00.000Z", false],
    ["+275760-09-13T00:00:00.000Z", false],
  ])("%s → %s", (iso, expected) => {
    expect(isSupportedTimestamp(new Date(iso))).toBe(expected);
  });

  it("refuses an invalid Date", () => {
    expect(isSupportedTimestamp(new Date(Number.NaN))).toBe(false);
  });
});

describe("safeText", () => {
  it.each([
    ["plain text", "user_2abc"],
    ["an emoji (a surrogate pair)", "🎉 launch"],
    ["other scripts", "Ünïcødé 日本語"],
    ["U+FFFD", "\ufffd"],
  ])("accepts %s", (_label, value) => {
    expect(safeText().safeParse(value).success).toBe(true);
  });

  it.each([
    ["a NUL character", "a\u0000b"],
    ["a lone high surrogate", "a\ud800b"],
    ["a lone low surrogate", "a\udc00b"],
    ["a high surrogate at the end", "abc\ud83c"],
    ["a low surrogate at the start", "\udf89abc"],
    ["two high surrogates", "\ud83c\ud83c\udf89"],
  ])("refuses %s", (_label, value) => {
    expect(messageOf(safeText().safeParse(value))).toBe(SAFE_TEXT_MESSAGE);
  });

  it("chains like z.string()", () => {
    const schema = safeText({ error: "Enter a name." }).trim().min(1).max(5);
    expect(schema.safeParse("  ab  ")).toEqual({ success: true, data: "ab" });
    expect(schema.safeParse("abcdef").success).toBe(false);
    expect(messageOf(schema.safeParse(undefined))).toBe("Enter a name.");
  });
});

describe("toStorableText", () => {
  it("removes NUL characters and unpaired surrogates, keeps pairs", () => {
    expect(toStorableText("a\u0000b\ud800c\udc00d🎉e\ud83c")).toBe("abcd🎉e");
  });
});

// Any UTF-16 unit, so that lone surrogates and NUL come up as often as real characters.
const anyUnit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
  fc.constantFrom("\u0000", "\ud800", "\udfff", "🎉", "a"),
);
const hostileString = fc.string({ unit: anyUnit, maxLength: 40 });

describe("properties", () => {
  it("every string isStorableText accepts is well formed and NUL-free, and cleaning makes it so", () => {
    fc.assert(
      fc.property(hostileString, (value) => {
        const wellFormed = encodeURIComponentSafe(value);
        if (isStorableText(value)) expect(wellFormed && !value.includes("\u0000")).toBe(true);
        else expect(wellFormed && !value.includes("\u0000")).toBe(false);
        expect(isStorableText(toStorableText(value))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("every user_id the API accepts can be stored in text and jsonb", async () => {
    await fc.assert(
      fc.asyncProperty(hostileString, async (value) => {
        const parsed = ActivateReferralBody.safeParse({ user_id: value });
        if (!parsed.success) return;
        const { rows } = await db.pool.query<{ text: string; json: { v: string } }>(
          "SELECT $1::text AS text, jsonb_build_object('v', $1::text) AS json",
          [parsed.data.user_id],
        );
        expect(rows[0]).toEqual({ text: parsed.data.user_id, json: { v: parsed.data.user_id } });
      }),
      { numRuns: 200 },
    );
  });

  it("every day accepted round-trips through PostgreSQL's date, with the day after", async () => {
    const anyDay = fc
      .tuple(
        fc.integer({ min: 0, max: 12_000 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
      )
      .map(
        ([year, month, dayOfMonth]) =>
          `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(dayOfMonth).padStart(2, "0")}`,
      );
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyDay, fc.constantFrom(DAY_MIN, DAY_MAX)), async (value) => {
        if (!day.safeParse(value).success) return;
        const { rows } = await db.pool.query<{ day: string; next: string; at: Date }>(
          `SELECT to_char($1::date, 'YYYY-MM-DD') AS day,
                  to_char($1::date + 1, 'YYYY-MM-DD') AS next,
                  ($1::date)::timestamp AT TIME ZONE 'UTC' AS at`,
          [value],
        );
        expect(rows[0]!.day).toBe(value);
        expect(rows[0]!.next).toBe(addDays(value, 1));
        expect(rows[0]!.at.toISOString()).toBe(`${value}T00:00:00.000Z`);
      }),
      { numRuns: 300 },
    );
  });
});

/** Well formed by the platform's own check: encodeURIComponent throws on a lone surrogate. */
function encodeURIComponentSafe(value: string): boolean {
  try {
    encodeURIComponent(value);
    return true;
  } catch {
    return false;
  }
}
