// The date range of the home and the Performance page: 7, 30, 90, 365 days, month to date, or a
// custom range chosen in Polaris' DatePicker (in a Popover). The selection lives in the URL
// (?range=30d, or ?range=custom&from=YYYY-MM-DD&to=YYYY-MM-DD), so a reload or a shared link
// shows the same view; the other search parameters of the page are kept.
import { useNavigate, useSearchParams } from "@remix-run/react";
import {
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  DatePicker,
  InlineStack,
  Popover,
  Text,
} from "@shopify/polaris";
import { useState } from "react";

import { formatDayRange, formatTimeZone, useDateFormat } from "~/components/dates";
import type { DayRange, RangePreset } from "~/models/performance";

export const RANGE_LABELS = {
  "7d": "7 days",
  "30d": "30 days",
  "90d": "90 days",
  "365d": "365 days",
  mtd: "Month to date",
} as const satisfies Record<RangePreset, string>;

/** A local day as the DatePicker's Date (midnight in the browser's own zone) and back. */
function pickerDate(day: string): Date {
  const [year, month, date] = day.split("-").map(Number);
  return new Date(year!, month! - 1, date!);
}

function dayOf(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function RangeControl({
  preset,
  range,
  today,
}: {
  /** The preset shown, or "custom"; null when the URL's range was not valid. */
  preset: RangePreset | "custom" | null;
  range: DayRange;
  /** The store's today (YYYY-MM-DD): the last day one can pick. */
  today: string;
}) {
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const dates = useDateFormat();
  const [open, setOpen] = useState(false);
  const [picked, setPicked] = useState({
    start: pickerDate(range.from),
    end: pickerDate(range.to),
  });
  const [month, setMonth] = useState(() => ({
    month: pickerDate(range.to).getMonth(),
    year: pickerDate(range.to).getFullYear(),
  }));

  const go = (params: Record<string, string>) => {
    const next = new URLSearchParams(searchParams);
    for (const key of ["range", "from", "to"]) next.delete(key);
    for (const [key, value] of Object.entries(params)) next.set(key, value);
    navigate(`?${next.toString()}`, { preventScrollReset: true });
  };

  const openPicker = () => {
    setPicked({ start: pickerDate(range.from), end: pickerDate(range.to) });
    setMonth({ month: pickerDate(range.to).getMonth(), year: pickerDate(range.to).getFullYear() });
    setOpen(true);
  };

  return (
    <BlockStack gap="200">
      <InlineStack gap="200" blockAlign="center" wrap>
        {/* Buttons, not links, so that aria-pressed says which range is shown. */}
        <ButtonGroup>
          {(Object.keys(RANGE_LABELS) as RangePreset[]).map((value) => (
            <Button key={value} pressed={preset === value} onClick={() => go({ range: value })}>
              {RANGE_LABELS[value]}
            </Button>
          ))}
          <Popover
            active={open}
            onClose={() => setOpen(false)}
            preferredAlignment="right"
            ariaHaspopup="dialog"
            activator={
              <Button pressed={preset === "custom"} onClick={openPicker} disclosure>
                Custom range
              </Button>
            }
          >
            <Box padding="400">
              <BlockStack gap="300">
                <DatePicker
                  month={month.month}
                  year={month.year}
                  onMonthChange={(nextMonth, year) => setMonth({ month: nextMonth, year })}
                  onChange={setPicked}
                  selected={picked}
                  disableDatesAfter={pickerDate(today)}
                  allowRange
                />
                <InlineStack align="end" gap="200">
                  <Button onClick={() => setOpen(false)}>Cancel</Button>
                  <Button
                    variant="primary"
                    onClick={() => {
                      setOpen(false);
                      go({ range: "custom", from: dayOf(picked.start), to: dayOf(picked.end) });
                    }}
                  >
                    Apply
                  </Button>
                </InlineStack>
              </BlockStack>
            </Box>
          </Popover>
        </ButtonGroup>
      </InlineStack>
      <Text as="p" tone="subdued" variant="bodySm">
        {`${formatDayRange(range, dates)}, days in ${formatTimeZone(dates)}; compared with the ${range.from === range.to ? "day" : "same number of days"} before.`}
      </Text>
    </BlockStack>
  );
}

/** The same range on another page: "?range=30d", "?range=custom&from=…&to=…" ("" if none). */
export function rangeSearch({
  preset,
  range,
}: {
  preset: RangePreset | "custom" | null;
  range: { from: string; to: string };
}): string {
  if (!preset) return "";
  const params = new URLSearchParams({ range: preset });
  if (preset === "custom") {
    params.set("from", range.from);
    params.set("to", range.to);
  }
  return `?${params.toString()}`;
}
