// The store's time zone, and what a change of it did to the history (decision 0018: the days
// counted before the change keep the old zone's days; the days since are the new zone's).
// Shown where days are counted (home, Performance) and in Settings.
import { Banner, Text } from "@shopify/polaris";

import { formatDateTime, formatTimeZone, useDateFormat } from "~/components/dates";

export interface TimeZoneChange {
  previousTimeZone: string;
  /** ISO instant of the change. */
  changedAt: string;
}

/** The Store's zone fields as the loaders send them (null when the zone never changed). */
export function timeZoneChangeOf(store: {
  previousTimeZone: string | null;
  timeZoneChangedAt: Date | null;
}): TimeZoneChange | null {
  return store.previousTimeZone && store.timeZoneChangedAt
    ? { previousTimeZone: store.previousTimeZone, changedAt: store.timeZoneChangedAt.toISOString() }
    : null;
}

/** A banner when the zone changed, or nothing. */
export function TimeZoneChangeNotice({ change }: { change: TimeZoneChange | null }) {
  const dates = useDateFormat();
  if (!change) return null;
  return (
    <Banner tone="info" title="Your store's time zone changed">
      <p>
        {`On ${formatDateTime(change.changedAt, dates)} your store's time zone changed from ${change.previousTimeZone} to ${formatTimeZone(dates)} (in Shopify's settings). Days up to the change keep the figures counted in ${change.previousTimeZone}'s days; days since are counted in ${dates.timeZone}'s. The day of the change can look shorter or longer than others.`}
      </p>
    </Banner>
  );
}

/** One line for Settings: the zone every day and time of the app is in. */
export function TimeZoneLine() {
  const dates = useDateFormat();
  return (
    <Text as="p" tone="subdued">
      {`Time zone: ${formatTimeZone(dates)}, from your store's settings in Shopify. Every day and time in this app is in this zone.`}
    </Text>
  );
}
