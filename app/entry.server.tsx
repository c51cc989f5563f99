import { PassThrough } from "node:stream";

import {
  createReadableStreamFromReadable,
  type EntryContext,
  type HandleDataRequestFunction,
  type HandleErrorFunction,
} from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";

import { localPreview } from "~/demo/index.server";
import { getEnv } from "~/env.server";
import { applySecurityHeaders, withSecurityHeaders } from "~/lib/infra/security-headers.server";
import { addDocumentResponseHeaders } from "~/shopify.server";

// The HTTP server (app/server/main.ts) reaches the app's process-wide services through these
// exports, so that it shares one module graph (one pool, one click queue) with the routes; the
// demo (`npm run demo`) only through the local preview's gate.
export { handleNodeRequest, shutdown, startBackgroundJobs } from "~/server/runtime.server";
export { localPreview } from "~/demo/index.server";

export const streamTimeout = 5000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  localPreview()?.applyDocumentHeaders(request, responseHeaders);
  // Last: outside the embedded admin it replaces the frame-ancestors set above.
  applySecurityHeaders(responseHeaders, { pathname: new URL(request.url).pathname, data: false });
  const userAgent = request.headers.get("user-agent");
  const callbackName = isbot(userAgent ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(
      <RemixServer context={remixContext} url={request.url} />,
      {
        [callbackName]: () => {
          const body = new PassThrough();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set("Content-Type", "text/html");
          resolve(
            new Response(stream, {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error) {
          reject(error);
        },
        onError(error) {
          responseStatusCode = 500;
          console.error(error);
        },
      },
    );
    setTimeout(abort, streamTimeout + 1000);
  });
}

/** Every `_data` response (Remix calls this for data requests only, not for resource routes). */
export const handleDataRequest: HandleDataRequestFunction = (response, { request }) =>
  withSecurityHeaders(response, { pathname: new URL(request.url).pathname, data: true });

/**
 * Remix's own error log, less the client's mistakes: a method a route does not take (405, e.g.
 * POST to a page without an action) or a path no route has (404) is answered, not logged.
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted || getEnv().NODE_ENV === "test") return;
  if (isRouteErrorResponse(error) && (error.status === 404 || error.status === 405)) return;
  const internal = isRouteErrorResponse(error) ? (error as { error?: unknown }).error : undefined;
  console.error(internal ?? error);
};
