// Formatting of the one-line figures each scenario reports.

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** "302×9,812 401×500": how many responses had each status. */
export function describeStatuses(statuses: number[] | Record<number, number>): string {
  const counts = new Map<number, number>();
  if (Array.isArray(statuses)) {
    for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
  } else {
    for (const [status, count] of Object.entries(statuses)) counts.set(Number(status), count);
  }
  return [...counts]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status}×${formatCount(count)}`)
    .join(" ");
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
}

export function milliseconds(value: number): string {
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}
