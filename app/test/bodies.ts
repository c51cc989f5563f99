// Request bodies for the body-limit tests: streamed in chunks (no Content-Length), as a client
// sends a chunked upload, counting how much of it the server pulled; and bodies posted to forms.
import { callRoute, type RouteFunction } from "~/test/routes";
import { adminRequest } from "~/test/shopify";

/** `chunks` chunks of `chunkBytes` bytes; `pulled.count` says how many the reader asked for. */
export function countedChunkedBody({ chunks = 64, chunkBytes = 16 * 1024 } = {}) {
  const pulled = { count: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.count++ === chunks) return controller.close();
      controller.enqueue(new TextEncoder().encode("a".repeat(chunkBytes)));
    },
  });
  return { body, pulled };
}

/** The same request (URL, method, headers) with a streamed body instead. */
export function withStreamedBody(request: Request, body: ReadableStream<Uint8Array>): Request {
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body,
    duplex: "half",
  } as RequestInit);
}

/** Bodies posted to a form action that are not a well-formed form, and the status they get. */
export const NOT_A_FORM = [
  ["application/json", '{"intent":"update_store"}', 415],
  ["text/plain", "intent=update_store", 415],
  ["multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data\r\n\r\nbroken", 400],
] as const;

/** Posts `body` as `contentType` to an admin action, signed in as the shop's admin. */
export async function postToAdminAction(
  action: RouteFunction<unknown>,
  path: string,
  { shopDomain, contentType, body }: { shopDomain: string; contentType: string; body: string },
): Promise<Response> {
  const request = await adminRequest(path, {
    shopDomain,
    method: "POST",
    body,
    headers: { "content-type": contentType },
  });
  return (await callRoute(action, request)) as Response;
}
