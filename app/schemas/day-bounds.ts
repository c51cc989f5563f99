// The days the app accepts, without zod: the browser imports them (app/models/performance.ts),
// the schemas build on them (app/schemas/primitives.ts).

/**
 * The days the app accepts, inclusive. PostgreSQL's `date` and `timestamptz` refuse year 0 and
 * JavaScript's Date stops at ±275760, but the narrower bound is `toISOString`: outside years
 * 0000-9999 it writes `+010000-01-01…` or `-000001-…`, which neither PostgreSQL nor a
 * YYYY-MM-DD field reads back. 1970-01-01 (the Unix epoch, long before any referral) keeps every
 * value a positive timestamp; 9999-12-30 leaves room for the day added to an inclusive `to`
 * (9999-12-31 is still a 4-digit year). Wide enough that no real query is refused.
 */
export const DAY_MIN = "1970-01-01";
export const DAY_MAX = "9999-12-30";
