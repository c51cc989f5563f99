// Where an outbound webhook may go (SSRF protection). Checked twice: when an endpoint is saved
// (a clear error for the store) and, what actually protects, when each attempt connects:
// request-filtering-agent checks the address the name resolved to at that moment, so a name
// that resolves to a private address later (DNS rebinding) is refused too.
import { isIP } from "node:net";

import {
  RequestFilteringHttpAgent,
  RequestFilteringHttpsAgent,
  type RequestFilteringAgentOptions,
} from "request-filtering-agent";

import type { Environment } from "~/env.server";
import { WEBHOOK_URL_MAX } from "~/schemas/webhook-event-types";

export interface AddressPolicy {
  /** Development and tests only (WEBHOOK_ALLOW_LOOPBACK): http:// and loopback addresses. */
  allowLoopback: boolean;
}

export function addressPolicyOf(env: Pick<Environment, "WEBHOOK_ALLOW_LOOPBACK">): AddressPolicy {
  return { allowLoopback: env.WEBHOOK_ALLOW_LOOPBACK };
}

const LOOPBACK = ["127.0.0.0/8", "::1/128"];

function filterOptions(policy: AddressPolicy): RequestFilteringAgentOptions {
  // Private, link-local (169.254.169.254, the cloud metadata address) and loopback refused;
  // loopback only let through when the policy says so.
  return {
    allowPrivateIPAddress: false,
    allowMetaIPAddress: false,
    allowIPAddressList: policy.allowLoopback ? LOOPBACK : [],
  };
}

const agents = new Map<string, RequestFilteringHttpAgent | RequestFilteringHttpsAgent>();

/** The keep-alive agent that refuses forbidden addresses at connect time. */
export function agentFor(protocol: "http:" | "https:", policy: AddressPolicy) {
  const key = `${protocol}${policy.allowLoopback}`;
  let agent = agents.get(key);
  if (!agent) {
    const options = { keepAlive: true, maxSockets: 64, ...filterOptions(policy) };
    agent =
      protocol === "https:"
        ? new RequestFilteringHttpsAgent(options)
        : new RequestFilteringHttpAgent(options);
    agents.set(key, agent);
  }
  return agent;
}

export type EndpointUrlProblem = string;

function isLoopbackHost(hostname: string) {
  return (
    hostname === "localhost" ||
    hostname.endsWith(".localhost") ||
    /^127\.\d+\.\d+\.\d+$/.test(hostname) ||
    hostname === "[::1]"
  );
}

/** IPv4 literals the connect-time check refuses anyway: said clearly when saving. */
function isForbiddenIpv4(hostname: string) {
  const parts = hostname.split(".").map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part))) return false;
  const [a, b] = parts as [number, number, number, number];
  return (
    a === 0 ||
    a === 10 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a >= 224
  );
}

/**
 * Checks an endpoint URL as typed by a store; returns the normalised URL or what is wrong.
 * Hostnames are resolved only when delivering (the connect-time check).
 */
export function checkEndpointUrl(
  raw: string,
  policy: AddressPolicy,
): { ok: true; url: string } | { ok: false; problem: EndpointUrlProblem } {
  if (raw.length > WEBHOOK_URL_MAX) {
    return { ok: false, problem: `must be at most ${WEBHOOK_URL_MAX} characters` };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: "must be a full URL, e.g. https://example.com/webhooks" };
  }
  const loopback = isLoopbackHost(url.hostname);
  if (
    url.protocol !== "https:" &&
    !(url.protocol === "http:" && policy.allowLoopback && loopback)
  ) {
    return { ok: false, problem: "must start with https://" };
  }
  if (url.username || url.password) {
    return { ok: false, problem: "must not contain a user name or password" };
  }
  if (loopback && !policy.allowLoopback) {
    return { ok: false, problem: "must not point to this machine (localhost, 127.0.0.1, ::1)" };
  }
  const bare = url.hostname.replace(/^\[|\]$/g, "");
  if ((isIP(bare) === 4 && isForbiddenIpv4(bare)) || (isIP(bare) === 6 && !loopback)) {
    return {
      ok: false,
      problem: "must be a public address (not private, link-local or an IPv6 literal)",
    };
  }
  url.hash = "";
  return { ok: true, url: url.toString() };
}
