// The one way a request body is read: up to a byte limit, counting the bytes actually streamed
// (a chunked body declares no Content-Length) and refusing at once when a declared
// Content-Length is over it. Past the limit the answer is a 413 in the app's error shape with
// `Connection: close`, so that the server stops reading that socket. The stream is not
// cancelled: @remix-run/node's stream cancel destroys the IncomingMessage, which kills the
// socket before the 413 is written; the reader's lock is released instead.
import { errorResponse } from "~/lib/infra/http-errors.server";

/** The 413 every body reader answers; the Integration API rebuilds it as its own ApiError. */
export function payloadTooLarge(limit: number): Response {
  return errorResponse(
    413,
    "payload_too_large",
    `The request body exceeds ${limit} bytes.`,
    // The rest of the body is never read: close the connection rather than keep it alive.
    { headers: { connection: "close", "cache-control": "no-store" } },
  );
}

export function isPayloadTooLarge(thrown: unknown): thrown is Response {
  return thrown instanceof Response && thrown.status === 413;
}

function unreadableBody(): Response {
  return errorResponse(400, "invalid_body", "The request body could not be read.");
}

/** The body's bytes, at most `limit` of them; throws a 413 Response past it. */
export async function readBodyBytes(
  request: Request,
  limit: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw payloadTooLarge(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        // The client went away mid-body, or the body is not a byte stream.
        throw unreadableBody();
      }
      if (chunk.done) break;
      size += chunk.value.byteLength;
      if (size > limit) throw payloadTooLarge(limit);
      chunks.push(chunk.value);
    }
  } finally {
    reader.releaseLock();
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * A copy of the request whose body is already read (bounded), for libraries that read the body
 * themselves (Shopify's authenticate.webhook and login): same URL, method and headers.
 */
export async function withBoundedBody(request: Request, limit: number): Promise<Request> {
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  const bytes = hasBody ? await readBodyBytes(request, limit) : null;
  const headers = new Headers(request.headers);
  if (bytes) {
    headers.delete("transfer-encoding");
    headers.set("content-length", String(bytes.byteLength));
  }
  return new Request(request.url, {
    method: request.method,
    headers,
    body: bytes,
    signal: request.signal,
  });
}

/** The admin's and the demo's forms carry a few short fields; 64 KB leaves room for multipart. */
export const FORM_MAX_BYTES = 64 * 1024;

const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

/**
 * The form of an admin or demo action: urlencoded or multipart, at most `limit` bytes. Any other
 * content type is a 415, a body that does not parse a 400; never a 500.
 */
export async function readForm(request: Request, limit: number): Promise<FormData> {
  const contentType = request.headers.get("content-type") ?? "";
  const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
  if (!FORM_TYPES.has(mediaType)) {
    throw errorResponse(
      415,
      "unsupported_media_type",
      "Send the form as application/x-www-form-urlencoded or multipart/form-data.",
    );
  }
  const bytes = await readBodyBytes(request, limit);
  try {
    return await new Request(request.url, {
      method: "POST",
      headers: { "content-type": contentType },
      body: bytes,
    }).formData();
  } catch {
    throw errorResponse(400, "invalid_form", "The form body is malformed.");
  }
}
