// The values every outside input is made of, checked once here so that what a schema accepts can
// always be stored and written back: days, timestamps and text. Every schema of outside input
// builds its dates and strings from these (issue 16, "Hostile input": an out-of-range date or a
// NUL character used to reach PostgreSQL and come back as a 500).
import { z } from "zod";

import { DAY_MAX, DAY_MIN } from "~/schemas/day-bounds";

// ---------------------------------------------------------------------------------------------
// Days and timestamps

// DAY_MIN and DAY_MAX live in a module without zod, for the browser (app/schemas/day-bounds.ts).
export { DAY_MAX, DAY_MIN };

/** The instants the app accepts (cursors): from the first supported day to the end of 9999. */
export const TIMESTAMP_MIN = new Date(`${DAY_MIN}T00:00:00.000Z`);
export const TIMESTAMP_MAX = new Date("9999-12-31T23:59:59.999Z");

const DAY_FORMAT_MESSAGE = "must be a date (YYYY-MM-DD)";
const DAY_RANGE_MESSAGE = `must be a date from ${DAY_MIN} to ${DAY_MAX}`;

/** A valid Date inside the supported range (both ends included). */
export function isSupportedTimestamp(date: Date): boolean {
  const time = date.getTime();
  return !Number.isNaN(time) && time >= TIMESTAMP_MIN.getTime() && time <= TIMESTAMP_MAX.getTime();
}

/**
 * A UTC day, YYYY-MM-DD, a real calendar date from 1970-01-01 to 9999-12-30. The JSON Schema
 * shows `format: date` and its pattern; say the range in the field's `.describe()` text.
 */
export const day = z.iso
  .date({ message: DAY_FORMAT_MESSAGE })
  .refine((value) => value >= DAY_MIN && value <= DAY_MAX, { message: DAY_RANGE_MESSAGE });

// ---------------------------------------------------------------------------------------------
// Text and tokens

/** A page cursor as the app writes it (base64url): nothing else reaches the cursor decoding. */
export const CURSOR_PATTERN = /^[A-Za-z0-9_-]+$/;

// A high surrogate not followed by a low one, or a low one not preceded by a high one: what
// String.prototype.isWellFormed (ES2024, not in this project's TypeScript lib) looks for.
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNPAIRED_SURROGATES = new RegExp(UNPAIRED_SURROGATE.source, "g");

export const SAFE_TEXT_MESSAGE = "must not contain NUL characters or unpaired surrogates";

/**
 * Text PostgreSQL can store: `text` cannot hold U+0000 and `jsonb` refuses a lone surrogate
 * (half of a UTF-16 pair, e.g. "\ud800", which JSON's \u escapes can carry).
 */
export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && !UNPAIRED_SURROGATE.test(value);
}

/**
 * A string that can be stored; chain `.trim()`, `.min()`, `.max()` as with `z.string()`.
 * Refused, never cleaned: a changed id or name would silently mean something else.
 */
export function safeText(options: { error?: string } = {}) {
  return z
    .string(options.error ? { error: options.error } : undefined)
    .refine(isStorableText, { message: SAFE_TEXT_MESSAGE });
}

/**
 * What `isStorableText` refuses, removed: NUL characters and unpaired surrogates (for values that
 * are cleaned rather than refused, like a shopper's UTM parameters).
 */
export function toStorableText(value: string): string {
  return value.replace(UNPAIRED_SURROGATES, "").replaceAll("\u0000", "");
}
