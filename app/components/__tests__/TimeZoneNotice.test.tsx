// The store's zone is said where its days are counted, and a change of zone says what became
// of the history (decision 0018), in the staff member's locale and the store's new zone.
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { DateFormatContext } from "~/components/dates";
import { TimeZoneChangeNotice, timeZoneChangeOf, TimeZoneLine } from "~/components/TimeZoneNotice";

function render(node: React.ReactNode) {
  return renderToString(
    <AppProvider i18n={en}>
      <DateFormatContext.Provider value={{ locale: "en-US", timeZone: "America/Los_Angeles" }}>
        {node}
      </DateFormatContext.Provider>
    </AppProvider>,
  );
}

describe("time zone notices", () => {
  it("says when and from which zone the store's zone changed, and what the history keeps", () => {
    // GIVEN a store that moved from London to Los Angeles on 2026-11-20 at 18:00 UTC
    const change = timeZoneChangeOf({
      previousTimeZone: "Europe/London",
      timeZoneChangedAt: new Date("2026-11-20T18:00:00.000Z"),
    });
    // WHEN the notice is rendered
    const html = render(<TimeZoneChangeNotice change={change} />);
    // THEN it names both zones, the moment in the new zone, and what became of the days
    expect(html).toContain("Your store&#x27;s time zone changed");
    expect(html).toContain("On Nov 20, 2026, 10:00 AM PST");
    expect(html).toContain("from Europe/London to America/Los_Angeles");
    expect(html).toContain("Days up to the change keep the figures counted in Europe/London");
  });

  it("says nothing for a zone that never changed", () => {
    const change = timeZoneChangeOf({ previousTimeZone: null, timeZoneChangedAt: null });
    expect(change).toBeNull();
    expect(render(<TimeZoneChangeNotice change={change} />)).not.toContain("time zone changed");
  });

  it("names the zone every day and time is in", () => {
    expect(render(<TimeZoneLine />)).toMatch(/Time zone: America\/Los_Angeles \(P[SD]T\)/);
  });
});
