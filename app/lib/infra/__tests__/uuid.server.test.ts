import { describe, expect, it } from "vitest";

import { timeOrderedUuid } from "~/lib/infra/uuid.server";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("timeOrderedUuid", () => {
  it("makes version 7 UUIDs that start with the time in milliseconds", () => {
    // GIVEN a moment
    const now = Date.UTC(2026, 10, 21, 15, 0, 0, 123);
    // WHEN an id is made at that moment
    const id = timeOrderedUuid(now);
    // THEN it is a UUIDv7 whose first 48 bits are the time
    expect(id).toMatch(UUID_V7);
    expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(now);
  });

  it("sorts the ids of a later millisecond after those of an earlier one, and never repeats", () => {
    // GIVEN three ids made in each of 1000 consecutive milliseconds
    const start = Date.now();
    const ids = Array.from({ length: 3000 }, (_, index) =>
      timeOrderedUuid(start + Math.floor(index / 3)),
    );
    // THEN the first id of each millisecond sorts after every id of the one before
    for (let index = 3; index < ids.length; index += 3) {
      const previous = ids.slice(index - 3, index);
      expect(previous.every((id) => ids[index]! > id)).toBe(true);
    }
    // AND all of them are distinct
    expect(new Set(ids).size).toBe(ids.length);
  });
});
