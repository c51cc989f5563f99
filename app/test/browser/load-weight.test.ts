// What the admin costs to load, over HTTP against the real built server: responses compressed
// (brotli, else gzip) as they stream, fingerprinted assets cached for good, the /r/:code fast path
// left as it was. Sizes are printed, not asserted on.
import { existsSync, statSync } from "node:fs";
import { request as httpRequest } from "node:http";
import path from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";

import { expect, it } from "vitest";

import { describeInBrowser, testServer } from "~/test/browser/browser";

const BROWSER_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The bytes as sent (still compressed). */
  body: Buffer;
}

/** GET without any decoding (fetch would decompress and hide the sizes). */
function rawGet(path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      `${testServer().baseUrl}${path}`,
      { headers: { "user-agent": BROWSER_USER_AGENT, ...headers } },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("end", () =>
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            body: Buffer.concat(chunks),
          }),
        );
        incoming.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end();
  });
}

function decoded({ headers, body }: RawResponse): Buffer {
  if (headers["content-encoding"] === "br") return brotliDecompressSync(body);
  if (headers["content-encoding"] === "gzip") return gunzipSync(body);
  return body;
}

/** The admin home's frame URL, with a fresh session token, as the local preview frames it. */
async function adminFramePath(): Promise<string> {
  const preview = await fetch(`${testServer().baseUrl}/demo/admin`);
  const src = /<iframe[^>]*\ssrc="([^"]+)"/.exec(await preview.text())?.[1];
  if (!src) throw new Error("The preview names no frame.");
  return src.replaceAll("&amp;", "&");
}

async function sessionToken(): Promise<string> {
  const { baseUrl, demo } = testServer();
  const answer = await fetch(`${baseUrl}/demo/session-token?shop=${demo.shopDomain}`);
  return ((await answer.json()) as { token: string }).token;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

describeInBrowser("the admin's load weight over HTTP", () => {
  it("compresses the admin's document, scripts and stylesheets, and caches the fingerprinted ones for good", async () => {
    // GIVEN the admin home's document and the assets it names
    const framePath = await adminFramePath();
    const document = await rawGet(framePath, { "accept-encoding": "gzip, deflate, br" });
    expect(document.status).toBe(200);
    const html = decoded(document).toString("utf8");
    const assets = [...html.matchAll(/(?:href|src)="(\/build\/[^"]+\.(?:css|js))"/g)].map(
      (match) => match[1]!,
    );
    expect(assets.some((asset) => asset.endsWith(".css"))).toBe(true);
    expect(assets.some((asset) => asset.endsWith(".js"))).toBe(true);

    // THEN the document is sent with brotli, never cached by a shared cache
    expect(document.headers["content-encoding"]).toBe("br");
    expect(document.headers.vary).toMatch(/accept-encoding/i);
    const lines = [
      `  document ${kib(decoded(document).length)} → ${kib(document.body.length)} (br)`,
    ];
    // AND every asset with brotli, cached for a year as immutable (its name changes with it),
    // the build's own brotli copy when it made one (scripts/precompress-assets.mjs)
    let precompressed = 0;
    for (const asset of new Set(assets)) {
      const response = await rawGet(asset, { "accept-encoding": "gzip, deflate, br" });
      expect(response.status, asset).toBe(200);
      expect(response.headers["cache-control"], asset).toBe("public, max-age=31536000, immutable");
      if (decoded(response).length >= 1024) {
        expect(response.headers["content-encoding"], asset).toBe("br");
        expect(response.headers["content-type"], asset).toMatch(
          /^(text\/css|application\/javascript)/,
        );
      }
      const copy = path.join(process.cwd(), "public", asset.replace(/^\//, "")) + ".br";
      if (existsSync(copy)) {
        expect(response.body.length, asset).toBe(statSync(copy).size);
        precompressed++;
      }
      if (decoded(response).length > 50_000) {
        lines.push(
          `  ${asset} ${kib(decoded(response).length)} → ${kib(response.body.length)} (${response.headers["content-encoding"] ?? "identity"})`,
        );
      }
    }
    expect(precompressed).toBeGreaterThan(0);
    // AND a client that only takes gzip gets gzip, one that takes neither the bytes as they are
    const css = assets.find((asset) => asset.endsWith(".css"))!;
    const gzipped = await rawGet(css, { "accept-encoding": "gzip" });
    const identity = await rawGet(css, { "accept-encoding": "identity" });
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(identity.headers["content-encoding"]).toBeUndefined();
    expect(decoded(gzipped).equals(identity.body)).toBe(true);
    console.info(["[load weight] admin home over HTTP (decoded → sent):", ...lines].join("\n"));
  });

  it("streams the CSV export compressed, with every row", async () => {
    // GIVEN the demo store's whole export, asked with and without compression
    const headers = { authorization: `Bearer ${await sessionToken()}` };
    const compressed = await rawGet("/app/referrals.csv", { ...headers, "accept-encoding": "br" });
    const plain = await rawGet("/app/referrals.csv", { ...headers, "accept-encoding": "identity" });
    // THEN the compressed one decodes to the same rows (thousands: several compressed chunks)
    expect(compressed.status).toBe(200);
    expect(compressed.headers["content-encoding"]).toBe("br");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    const rows = decoded(compressed).toString("utf8").trim().split("\n");
    expect(rows.length).toBeGreaterThan(1000);
    expect(decoded(compressed).equals(plain.body)).toBe(true);
    console.info(
      `[load weight] CSV export: ${rows.length} lines, ${kib(plain.body.length)} → ${kib(compressed.body.length)} (br)`,
    );
  });

  it("leaves the /r/:code fast path as it was: an empty redirect, nothing to compress", async () => {
    // WHEN a shopper's browser follows a short link
    const response = await rawGet(`/r/${testServer().demo.referralCode}`, {
      "accept-encoding": "gzip, deflate, br",
    });
    // THEN it is the fast path's redirect: no body, no encoding
    expect(response.status).toBe(302);
    expect(response.headers["content-length"]).toBe("0");
    expect(response.headers["content-encoding"]).toBeUndefined();
  });
});
