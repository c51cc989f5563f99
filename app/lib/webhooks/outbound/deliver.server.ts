// One HTTP attempt of a delivery: POST the signed body, wait at most the attempt timeout for
// the answer's status, read (and drop) a bounded part of its body. Never throws: every failure
// is an outcome the worker records (connection refused, refused address, timeout, …).
import http from "node:http";
import https from "node:https";

import { agentFor, type AddressPolicy } from "~/lib/webhooks/outbound/address-policy.server";
import type { SignedHeaders } from "~/lib/webhooks/outbound/sign.server";

/** Of a receiver's answer we keep the status only; its body is read up to this and dropped. */
const RESPONSE_READ_MAX = 64 * 1024;

export interface AttemptResult {
  statusCode: number | null;
  latencyMs: number;
  /** Why there is no 2xx, for the delivery log (null on a 2xx). */
  error: string | null;
}

export function postWebhook({
  url,
  body,
  headers,
  timeoutMs,
  policy,
}: {
  url: string;
  body: string;
  headers: SignedHeaders;
  timeoutMs: number;
  policy: AddressPolicy;
}): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve({ statusCode: null, latencyMs: 0, error: "invalid URL" });
  }
  const isHttps = target.protocol === "https:";
  if (!isHttps && !(target.protocol === "http:" && policy.allowLoopback)) {
    return Promise.resolve({
      statusCode: null,
      latencyMs: 0,
      error: "refused: only https:// endpoints",
    });
  }
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const finish = (statusCode: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ statusCode, latencyMs: elapsed(), error });
    };
    const request = (isHttps ? https : http).request(target, {
      method: "POST",
      agent: agentFor(isHttps ? "https:" : "http:", policy),
      headers: {
        ...headers,
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        "user-agent": "StoreReferrals-Webhooks/1",
      },
    });
    const timer = setTimeout(() => {
      finish(null, `timed out after ${timeoutMs} ms`);
      request.destroy();
    }, timeoutMs);
    request.on("response", (response) => {
      const statusCode = response.statusCode ?? 0;
      let read = 0;
      response.on("data", (chunk: Buffer) => {
        read += chunk.length;
        if (read > RESPONSE_READ_MAX) response.destroy();
      });
      const done = () =>
        finish(statusCode, statusCode >= 200 && statusCode < 300 ? null : `HTTP ${statusCode}`);
      response.on("end", done);
      response.on("close", done);
      response.on("error", done);
    });
    request.on("error", (error: NodeJS.ErrnoException) => {
      // request-filtering-agent's refusal names the address; others: ECONNREFUSED, …
      finish(null, error.code ? `${error.code}: ${error.message}` : error.message);
    });
    request.end(body);
  });
}
