// The admin's one date format: the staff member's locale, the store's zone, the zone always
// said with a time; ISO 8601 with the zone's offset for the CSV; a locale from the URL or the
// Accept-Language header, never an error whatever they hold.
import { describe, expect, it } from "vitest";

import {
  formatDateTime,
  formatDay,
  formatDayRange,
  formatTimeZone,
  isoInZone,
  resolveLocale,
} from "~/components/dates";

const url = (search = "") => new URL(`https://store-referrals.test/app${search}`);

describe("resolveLocale", () => {
  it("takes Shopify's locale from the URL first, then Accept-Language, then en-US", () => {
    expect(resolveLocale(url("?locale=fr"), "de-DE,de;q=0.9")).toBe("fr");
    expect(resolveLocale(url(), "de-DE,de;q=0.9")).toBe("de-DE");
    expect(resolveLocale(url(), null)).toBe("en-US");
  });

  it.each([
    ["a NUL character", "?locale=en%00"],
    ["a lone surrogate", "?locale=%ED%A0%80"],
    ["a tag that is no language", "?locale=not_a_locale!"],
    ["a huge value", `?locale=${"a".repeat(10_000)}`],
  ])("ignores %s and falls back", (_label, search) => {
    expect(resolveLocale(url(search), "*, \u0000, en-GB;q=0.8")).toBe("en-GB");
  });
});

describe("formatting", () => {
  const la = { locale: "en-US", timeZone: "America/Los_Angeles" };

  it("writes a local day the same in every zone, in the locale", () => {
    expect(formatDay("2026-12-01", la)).toBe("Dec 1, 2026");
    expect(formatDay("2026-12-01", { locale: "fr" })).toBe("1 déc. 2026");
    expect(formatDayRange({ from: "2026-11-02", to: "2026-12-01" }, la)).toBe(
      "Nov 2 – Dec 1, 2026",
    );
  });

  it("writes a time in the store's zone, with the zone", () => {
    // 2026-12-01 12:14 UTC is 04:14 in Los Angeles (PST) and 17:44 in Kolkata (+05:30)
    const instant = "2026-12-01T12:14:00.000Z";
    expect(formatDateTime(instant, la)).toBe("Dec 1, 2026, 4:14 AM PST");
    expect(formatDateTime(instant, { locale: "en-GB", timeZone: "Asia/Kolkata" })).toBe(
      "1 Dec 2026, 17:44 GMT+5:30",
    );
    expect(formatDateTime(instant, { locale: "en-US", timeZone: "UTC" })).toBe(
      "Dec 1, 2026, 12:14 PM UTC",
    );
    expect(formatTimeZone(la, new Date(instant))).toBe("America/Los_Angeles (PST)");
    expect(formatTimeZone({ locale: "en-US", timeZone: "UTC" })).toBe("UTC");
  });

  it("gives ISO 8601 with the zone's offset at that instant, across DST and half hours", () => {
    expect(isoInZone(new Date("2026-12-01T12:14:05.678Z"), "America/Los_Angeles")).toBe(
      "2026-12-01T04:14:05-08:00",
    );
    expect(isoInZone(new Date("2026-07-01T12:00:00Z"), "America/Los_Angeles")).toBe(
      "2026-07-01T05:00:00-07:00",
    );
    expect(isoInZone(new Date("2026-01-15T10:30:00Z"), "America/St_Johns")).toBe(
      "2026-01-15T07:00:00-03:30",
    );
    expect(isoInZone(new Date("2026-12-01T00:00:00Z"), "UTC")).toBe("2026-12-01T00:00:00Z");
    // Every instant read back is the same instant (to the second)
    for (const zone of [
      "Asia/Kathmandu",
      "Australia/Lord_Howe",
      "Europe/Berlin",
      "Pacific/Chatham",
    ]) {
      for (let hour = 0; hour < 24 * 400; hour += 37) {
        const instant = new Date(Date.UTC(2026, 0, 1) + hour * 3_600_000);
        expect(new Date(isoInZone(instant, zone)).getTime()).toBe(instant.getTime());
      }
    }
  });
});
