// Process-wide services of the app, exposed to the HTTP server through entry.server.tsx.
import type { IncomingMessage, ServerResponse } from "node:http";

import { closeDatabase } from "~/db.server";
import { shutdownAnalytics } from "~/lib/analytics/posthog.server";
import { startRetentionJobs, stopRetentionJobs } from "~/lib/privacy/retention.server";
import { startWebhookWorker, stopWebhookWorker } from "~/lib/webhooks/outbound/worker.server";
import { PUBLIC_RESPONSE_HEADERS } from "~/lib/infra/security-headers.server";
import {
  REFERRAL_REDIRECT_STATUS,
  referralRedirectHeaders,
  resolveReferralVisit,
} from "~/lib/referral-links/visit.server";
import { closeClickQueue } from "~/models/referral-clicks.server";

// Only the common, well-formed short link is answered here; anything unusual (encoded
// characters, dot segments, a trailing slash, an invalid code) is left to the Remix route, which
// redirects the same way.
const WELL_FORMED_CODE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Requests the HTTP server answers without going through Remix: GET/HEAD /r/:code, the referral
 * link hot path (same responses as app/routes/r.$code.tsx, at a fraction of the cost).
 * Returns true when the request was handled.
 */
export async function handleNodeRequest(
  request: IncomingMessage,
  response: ServerResponse,
): Promise<boolean> {
  const url = request.url;
  if (!url?.startsWith("/r/")) return false;
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  const queryStart = url.indexOf("?");
  const code = queryStart === -1 ? url.slice(3) : url.slice(3, queryStart);
  if (!WELL_FORMED_CODE.test(code)) return false;

  // node:http joins repeated X-Forwarded-For lines into one string; its type still allows an array.
  const forwardedFor = request.headers["x-forwarded-for"];
  const visit = await resolveReferralVisit({
    method: request.method,
    code,
    query: queryStart === -1 ? null : new URLSearchParams(url.slice(queryStart + 1)),
    pathAndQuery: url,
    userAgent: request.headers["user-agent"],
    forwardedFor: Array.isArray(forwardedFor) ? forwardedFor.join(", ") : forwardedFor,
    clientAddress: request.socket.remoteAddress,
    referer: request.headers.referer,
  });
  const headers = referralRedirectHeaders(visit).flat();
  // An empty body: say so, rather than opening a chunked one.
  headers.push("Content-Length", "0", ...PUBLIC_RESPONSE_HEADERS);
  response.writeHead(REFERRAL_REDIRECT_STATUS, headers);
  response.end();
  return true;
}

/**
 * What runs in the background of every app instance: the retention purge (docs/privacy.md) and
 * the outbound webhook worker (docs/decisions/0020-outbound-webhooks.md).
 */
export function startBackgroundJobs(): void {
  startRetentionJobs();
  startWebhookWorker();
}

/**
 * Graceful shutdown: stop the purge (a batch in flight finishes) and the webhook worker (its
 * attempts in flight finish, each within its timeout), write queued clicks, flush analytics
 * (bounded), close the database pool.
 */
export async function shutdown(): Promise<void> {
  await Promise.all([stopRetentionJobs(), stopWebhookWorker()]);
  await closeClickQueue();
  await shutdownAnalytics();
  await closeDatabase();
}
