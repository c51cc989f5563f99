// Raw HTTP requests to an app process (node:http, keep-alive): nothing between the test and the
// server, so headers and paths arrive exactly as written.
import { Agent, request } from "node:http";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  setCookies: string[];
  body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 32 });

export function send(
  baseUrl: string,
  {
    method = "GET",
    path,
    headers = {},
    body,
  }: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${baseUrl}${path}`, { method, agent, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      // A response whose body stops half-way (the server failed while streaming) is an error.
      incoming.on("aborted", () => reject(new Error(`the response to ${path} was cut off`)));
      incoming.on("error", reject);
      incoming.on("end", () =>
        resolve({
          status: incoming.statusCode ?? 0,
          headers: incoming.headers,
          setCookies: incoming.headers["set-cookie"] ?? [],
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
    outgoing.setTimeout(30_000, () => outgoing.destroy(new Error(`no answer to ${path}`)));
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** The names of the cookies a response sets (with a value: a cookie being cleared is left out). */
export function cookiesSet(response: RawResponse): string[] {
  return response.setCookies
    .filter((cookie) => !/;\s*Max-Age=0/i.test(cookie))
    .map((cookie) => cookie.slice(0, cookie.indexOf("=")));
}

/** Every byte of the UTF-8 form percent-encoded except unreserved characters (and `.` too). */
export function percentEncode(value: string | Uint8Array): string {
  const bytes = typeof value === "string" ? Buffer.from(value, "utf8") : Buffer.from(value);
  let encoded = "";
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    encoded += /[A-Za-z0-9_~-]/.test(char)
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return encoded;
}

/** The counters and gauges of an app process (GET /metrics), by series name with labels. */
export async function readMetrics(baseUrl: string): Promise<Map<string, number>> {
  const response = await send(baseUrl, { path: "/metrics" });
  const series = new Map<string, number>();
  for (const line of response.body.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const space = line.lastIndexOf(" ");
    series.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return series;
}

/** The sum of every series of a metric (all label values). */
export function metricTotal(metrics: Map<string, number>, name: string): number {
  let total = 0;
  for (const [series, value] of metrics) {
    if (series === name || series.startsWith(`${name}{`)) total += value;
  }
  return total;
}
