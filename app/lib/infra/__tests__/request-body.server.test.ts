// The one bounded body reader: the limit holds for chunked bodies (no Content-Length) as for
// declared ones, and a form reader refuses what is not a form with a 4xx, never a 500.
import { describe, expect, it } from "vitest";

import { readBodyBytes, readForm, withBoundedBody } from "~/lib/infra/request-body.server";

const URL_ = "https://app.test/some/route";

/** A chunked body: `chunks` chunks of `chunkSize` bytes, generated, with no Content-Length. */
function chunkedRequest(chunkSize: number, chunks: number, headers: Record<string, string> = {}) {
  let sent = 0;
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === chunks) return controller.close();
      sent++;
      pulled += chunkSize;
      controller.enqueue(new Uint8Array(chunkSize).fill(97));
    },
  });
  const request = new Request(URL_, {
    method: "POST",
    body,
    headers,
    duplex: "half",
  } as RequestInit);
  return { request, pulledBytes: () => pulled };
}

async function thrownBy(work: () => Promise<unknown>): Promise<Response> {
  try {
    await work();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
  throw new Error("expected a thrown Response");
}

describe("readBodyBytes", () => {
  it("refuses a chunked body past the limit with a 413 that closes the connection", async () => {
    // GIVEN a 10 MB chunked body (no Content-Length) and a 1 KB limit
    const { request, pulledBytes } = chunkedRequest(64 * 1024, 160);
    expect(request.headers.get("content-length")).toBeNull();
    // WHEN it is read
    const response = await thrownBy(() => readBodyBytes(request, 1024));
    // THEN a 413 in the error shape, with Connection: close, after reading about one chunk
    expect(response.status).toBe(413);
    expect(response.headers.get("connection")).toBe("close");
    expect(await response.json()).toEqual({
      error: { code: "payload_too_large", message: "The request body exceeds 1024 bytes." },
    });
    expect(pulledBytes()).toBeLessThanOrEqual(3 * 64 * 1024);
  });

  it("refuses a declared Content-Length past the limit before reading anything", async () => {
    // GIVEN a body whose Content-Length is over the limit
    const { request, pulledBytes } = chunkedRequest(1024, 2, { "content-length": "2048" });
    // WHEN it is read with a limit of 1 KB
    const response = await thrownBy(() => readBodyBytes(request, 1024));
    // THEN 413, and the stream was never pulled beyond what it enqueued on its own
    expect(response.status).toBe(413);
    expect(pulledBytes()).toBeLessThanOrEqual(1024);
  });

  it("accepts a body of exactly the limit, and an empty one", async () => {
    const { request } = chunkedRequest(512, 2);
    expect((await readBodyBytes(request, 1024)).byteLength).toBe(1024);
    const empty = new Request(URL_, { method: "POST" });
    expect((await readBodyBytes(empty, 1024)).byteLength).toBe(0);
  });

  it("answers 413 one byte past the limit", async () => {
    const request = new Request(URL_, { method: "POST", body: "x".repeat(1025) });
    expect((await thrownBy(() => readBodyBytes(request, 1024))).status).toBe(413);
  });

  it("answers 400 to a body that breaks off mid-stream", async () => {
    // GIVEN a body whose stream errors (the client went away)
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error("socket hang up"));
      },
    });
    const request = new Request(URL_, { method: "POST", body, duplex: "half" } as RequestInit);
    // WHEN it is read THEN a 400, not an unexpected error
    const response = await thrownBy(() => readBodyBytes(request, 1024));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_body" } });
  });
});

describe("withBoundedBody", () => {
  it("hands on the same URL, method, headers and body", async () => {
    const original = new Request(URL_, {
      method: "POST",
      body: '{"id":1}',
      headers: { "content-type": "application/json", "x-shopify-topic": "app/uninstalled" },
    });
    const copy = await withBoundedBody(original, 1024);
    expect(copy.url).toBe(URL_);
    expect(copy.method).toBe("POST");
    expect(copy.headers.get("x-shopify-topic")).toBe("app/uninstalled");
    expect(copy.headers.get("content-length")).toBe("8");
    expect(await copy.text()).toBe('{"id":1}');
  });

  it("throws the 413 for a chunked body past the limit", async () => {
    const { request } = chunkedRequest(4096, 10);
    expect((await thrownBy(() => withBoundedBody(request, 4096))).status).toBe(413);
  });
});

describe("readForm", () => {
  it("reads an urlencoded form and a multipart form", async () => {
    const urlencoded = await readForm(
      new Request(URL_, { method: "POST", body: new URLSearchParams({ intent: "save" }) }),
      1024,
    );
    expect(urlencoded.get("intent")).toBe("save");
    const fields = new FormData();
    fields.set("name", "Chen");
    const multipart = await readForm(new Request(URL_, { method: "POST", body: fields }), 4096);
    expect(multipart.get("name")).toBe("Chen");
  });

  it("refuses JSON and text/plain with a 415 in the error shape", async () => {
    for (const contentType of ["application/json", "text/plain;charset=UTF-8", ""]) {
      const request = new Request(URL_, {
        method: "POST",
        body: '{"intent":"save"}',
        headers: contentType ? { "content-type": contentType } : {},
      });
      if (!contentType) request.headers.delete("content-type");
      const response = await thrownBy(() => readForm(request, 1024));
      expect(response.status, contentType).toBe(415);
      expect(await response.json()).toMatchObject({ error: { code: "unsupported_media_type" } });
    }
  });

  it("answers 400 to a broken multipart body, and to one without a boundary", async () => {
    for (const contentType of ["multipart/form-data; boundary=xyz", "multipart/form-data"]) {
      const request = new Request(URL_, {
        method: "POST",
        body: "--xyz\r\nContent-Disposition: form-data\r\n\r\nno end",
        headers: { "content-type": contentType },
      });
      const response = await thrownBy(() => readForm(request, 1024));
      expect(response.status, contentType).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: "invalid_form" } });
    }
  });

  it("answers 413 to a chunked form past the limit", async () => {
    const { request } = chunkedRequest(4096, 10, {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect((await thrownBy(() => readForm(request, 4096))).status).toBe(413);
  });
});
