// The local-day helpers against PostgreSQL's own AT TIME ZONE, on the real server: random
// instants and days in every zone Intl knows, and every day of 2000-2035 in the zones whose
// clocks change at midnight, skip a day, or keep half- and quarter-hour offsets.
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { db } from "~/db.server";
import {
  addDays,
  daysBetween,
  isTimeZone,
  localDay,
  offsetMinutes,
  startOfLocalDay,
} from "~/lib/infra/time-zone";

const ZONES = Intl.supportedValuesOf("timeZone");

// Clocks change at midnight (no 00:00, or two), a day skipped (Apia 2011-12-30), 30 and 45
// minute offsets, a 30-minute DST (Lord Howe), Morocco's Ramadan changes.
const EDGE_ZONES = [
  "America/Havana",
  "America/Santiago",
  "America/Asuncion",
  "America/Sao_Paulo",
  "Asia/Beirut",
  "Asia/Damascus",
  "Asia/Gaza",
  "Africa/Cairo",
  "Asia/Tehran",
  "Pacific/Apia",
  "Pacific/Kiritimati",
  "Pacific/Chatham",
  "Australia/Lord_Howe",
  "Australia/Eucla",
  "Asia/Kathmandu",
  "Asia/Kolkata",
  "America/St_Johns",
  "Africa/Casablanca",
  "America/Scoresbysund",
  "Europe/London",
  "America/Los_Angeles",
];

// 1970 to 2100: the days the app stores; beyond 2037 both sides extend the zone's last rule.
const INSTANT_MIN = Date.UTC(1970, 0, 2);
const INSTANT_MAX = Date.UTC(2100, 0, 1);

const zone = fc.constantFrom(...ZONES, ...EDGE_ZONES);
const instant = fc.integer({ min: INSTANT_MIN, max: INSTANT_MAX }).map((ms) => new Date(ms));

async function postgresLocalDays(samples: { instant: Date; zone: string }[]): Promise<string[]> {
  const { rows } = await db.pool.query<{ day: string }>(
    `SELECT to_char((t."at" AT TIME ZONE t."zone")::date, 'YYYY-MM-DD') AS "day"
       FROM unnest($1::timestamptz[], $2::text[]) WITH ORDINALITY AS t("at", "zone", "n")
      ORDER BY t."n"`,
    [samples.map((sample) => sample.instant.toISOString()), samples.map((sample) => sample.zone)],
  );
  return rows.map((row) => row.day);
}

async function postgresStartsOfDays(samples: { day: string; zone: string }[]): Promise<string[]> {
  const { rows } = await db.pool.query<{ start: Date }>(
    `SELECT (t."day"::timestamp AT TIME ZONE t."zone") AS "start"
       FROM unnest($1::date[], $2::text[]) WITH ORDINALITY AS t("day", "zone", "n")
      ORDER BY t."n"`,
    [samples.map((sample) => sample.day), samples.map((sample) => sample.zone)],
  );
  return rows.map((row) => row.start.toISOString());
}

async function postgresOffsets(samples: { instant: Date; zone: string }[]): Promise<number[]> {
  const { rows } = await db.pool.query<{ minutes: number }>(
    `SELECT (extract(epoch FROM (t."at" AT TIME ZONE t."zone") - (t."at" AT TIME ZONE 'UTC')) / 60)::float8 AS "minutes"
       FROM unnest($1::timestamptz[], $2::text[]) WITH ORDINALITY AS t("at", "zone", "n")
      ORDER BY t."n"`,
    [samples.map((sample) => sample.instant.toISOString()), samples.map((sample) => sample.zone)],
  );
  return rows.map((row) => row.minutes);
}

/**
 * The zone's offset at an instant as Intl itself names it ("GMT+05:30"), without the helpers'
 * arithmetic: what Node's own tz database says.
 */
function intlOffsetMinutes(at: Date, zone: string): number {
  const name =
    new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
      .formatToParts(at)
      .find((part) => part.type === "timeZoneName")?.value ?? "GMT";
  const match = /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(name);
  if (!match) throw new Error(`Unexpected offset name ${name}`);
  if (!match[1]) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]) + Number(match[4] ?? 0) / 60;
  return match[1] === "-" ? -minutes : minutes;
}

/**
 * Node's ICU and the PostgreSQL server each carry a release of the tz database, and releases
 * differ in some zones' rules (here: Node 20 has 2025c, Node 22.23 2026c, Debian's PostgreSQL
 * 2025b; 2026c changes Africa/Casablanca from 2026-09 and America/Edmonton from 2045). Of the
 * samples where a helper and PostgreSQL disagree, this keeps those the data does not explain:
 * where Intl's own offset equals PostgreSQL's at every instant the helper reads. A helper's
 * arithmetic error shows there; a difference of tz data releases does not.
 */
async function unexplainedByTzData<Sample>(
  mismatched: Sample[],
  instantsOf: (sample: Sample) => { instant: Date; zone: string }[],
): Promise<Sample[]> {
  if (mismatched.length === 0) return [];
  const instants = mismatched.map(instantsOf);
  const postgres = await postgresOffsets(instants.flat());
  let next = 0;
  return mismatched.filter((_, index) =>
    instants[index]!.every(
      ({ instant: at, zone: atZone }) => intlOffsetMinutes(at, atZone) === postgres[next++],
    ),
  );
}

const DAY_MS = 86_400_000;

/** The instants startOfLocalDay reads for a day, and the two answers. */
function startInstants(day: string, atZone: string, postgresStart: string) {
  const wall = Date.parse(`${day}T00:00:00.000Z`);
  return [wall - DAY_MS, wall + DAY_MS, Date.parse(postgresStart), wall].map((ms) => ({
    instant: new Date(ms),
    zone: atZone,
  }));
}

describe("localDay", () => {
  it("is the day PostgreSQL's AT TIME ZONE gives, for random instants in every zone", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ instant, zone }), { minLength: 1, maxLength: 300 }),
        async (samples) => {
          const expected = await postgresLocalDays(samples);
          const mismatched = samples.filter(
            (sample, index) => localDay(sample.instant, sample.zone) !== expected[index],
          );
          expect(await unexplainedByTzData(mismatched, (sample) => [sample])).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("offsetMinutes", () => {
  it("is the zone's offset PostgreSQL applies, for random instants in every zone", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ instant, zone }), { minLength: 1, maxLength: 300 }),
        async (samples) => {
          const expected = await postgresOffsets(samples);
          const mismatched = samples.filter(
            (sample, index) => offsetMinutes(sample.instant, sample.zone) !== expected[index],
          );
          expect(await unexplainedByTzData(mismatched, (sample) => [sample])).toEqual([]);
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe("startOfLocalDay", () => {
  it("is PostgreSQL's (day::timestamp AT TIME ZONE zone), for random days in every zone", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ day: instant.map((at) => localDay(at, "UTC")), zone }), {
          minLength: 1,
          maxLength: 300,
        }),
        async (samples) => {
          const expected = await postgresStartsOfDays(samples);
          const mismatched = samples
            .map((sample, index) => ({ ...sample, postgres: expected[index]! }))
            .filter(
              (sample) =>
                startOfLocalDay(sample.day, sample.zone).toISOString() !== sample.postgres,
            );
          const unexplained = await unexplainedByTzData(mismatched, (sample) =>
            startInstants(sample.day, sample.zone, sample.postgres),
          );
          expect(unexplained).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it.each(EDGE_ZONES)(
    "agrees with PostgreSQL on every day of 2000-2035 in %s (DST at midnight, skipped days, odd offsets)",
    async (edgeZone) => {
      const days = Array.from({ length: daysBetween("2000-01-01", "2035-12-31") }, (_, index) =>
        addDays("2000-01-01", index),
      );
      const expected = await postgresStartsOfDays(days.map((day) => ({ day, zone: edgeZone })));
      const mismatched = days.flatMap((day, index) =>
        startOfLocalDay(day, edgeZone).toISOString() === expected[index]
          ? []
          : [{ day, postgres: expected[index]! }],
      );
      const unexplained = await unexplainedByTzData(mismatched, (sample) =>
        startInstants(sample.day, edgeZone, sample.postgres),
      );
      expect(unexplained.map((sample) => sample.day)).toEqual([]);
    },
  );

  it("starts the day the instant falls on, and the day before ends just before it", () => {
    fc.assert(
      fc.property(instant, zone, (at, someZone) => {
        const day = localDay(at, someZone);
        const start = startOfLocalDay(day, someZone);
        const next = startOfLocalDay(addDays(day, 1), someZone);
        // Where a day is skipped (Apia), the next day's start may come first: then `at` is in it.
        expect(start.getTime() <= at.getTime() || next.getTime() <= start.getTime()).toBe(true);
        expect(at.getTime() < next.getTime() || localDay(next, someZone) !== day).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("isTimeZone", () => {
  it("accepts the IANA names Intl and PostgreSQL both know", async () => {
    const names = [...ZONES, ...EDGE_ZONES, "UTC", "Etc/GMT+5", "Asia/Kolkata", "Europe/Kyiv"];
    expect(names.filter((name) => !isTimeZone(name))).toEqual([]);
    const { rows } = await db.pool.query<{ name: string }>(
      `SELECT n AS "name" FROM unnest($1::text[]) AS n
        WHERE lower(n) NOT IN (SELECT lower("name") FROM pg_timezone_names)`,
      [names],
    );
    expect(rows).toEqual([]);
  });

  it.each([
    "",
    "utc",
    "america/new_york",
    "+05:30",
    "-08:00",
    "UTC+5",
    "../etc",
    "America/../UTC",
    "/etc/passwd",
    "Mars/Olympus_Mons",
    "America/New_York\u0000",
    "\ud800",
    "A".repeat(10_000),
  ])("refuses %j", (value) => {
    expect(isTimeZone(value)).toBe(false);
  });
});

describe("addDays and daysBetween", () => {
  it("walk whole calendar days", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(daysBetween("2026-01-01", "2026-12-31")).toBe(365);
    fc.assert(
      fc.property(instant, fc.integer({ min: -2000, max: 2000 }), (at, amount) => {
        const day = localDay(at, "UTC");
        expect(daysBetween(day, addDays(day, amount))).toBe(amount + 1);
      }),
    );
  });
});
