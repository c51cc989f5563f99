// Who is calling the Integration API: a store API key (`Authorization: Bearer sr_live_…`) or,
// where an operation allows it, Syntropy's own backend with ACTIVATION_API_SECRET. Every
// failure is an ApiError in the API's one error shape.
import { createHash, timingSafeEqual } from "node:crypto";

import { getEnv } from "~/env.server";
import { ApiError } from "~/lib/integration-api/errors.server";
import type { StoreStatus } from "@prisma/client";

import { authenticateApiKey, type ApiKeyScope } from "~/models/api-key.server";
import type { ApiCredential, ApiScope } from "~/schemas/api-v1";

export type ApiPrincipal =
  | {
      kind: "api_key";
      apiKeyId: string;
      storeId: number;
      scopes: ApiKeyScope[];
      storeStatus: StoreStatus;
    }
  | { kind: "activation_secret" };

const WWW_AUTHENTICATE = { "www-authenticate": 'Bearer realm="Store Referrals Integration API"' };
// RFC 6750: `Bearer` followed by a token68 (letters, digits and -._~+/ with trailing =).
const BEARER_PATTERN = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

function unauthorized(message: string) {
  return new ApiError("unauthorized", message, WWW_AUTHENTICATE);
}

/** The bearer token of the request; 401 when the header is missing or not `Bearer <token>`. */
export function readBearerToken(request: Request): string {
  const header = request.headers.get("authorization");
  if (!header) {
    throw unauthorized("Missing Authorization header: send `Authorization: Bearer <API key>`.");
  }
  const token = BEARER_PATTERN.exec(header)?.[1];
  if (!token) {
    throw unauthorized("Malformed Authorization header: expected `Bearer <API key>`.");
  }
  return token;
}

function sha256(value: string) {
  return createHash("sha256").update(value, "utf8").digest();
}

/** Constant time (both sides hashed to equal lengths first); false while the secret is unset. */
function isActivationSecret(token: string): boolean {
  const secret = getEnv().ACTIVATION_API_SECRET;
  if (!secret) return false;
  return timingSafeEqual(sha256(token), sha256(secret));
}

/**
 * Authenticates the request: a valid, unrevoked store API key, or one of the other credentials
 * the operation takes (`alsoAccepts`). 401 otherwise.
 */
export async function authenticateApiRequest(
  request: Request,
  { alsoAccepts = [] }: { alsoAccepts?: readonly ApiCredential[] } = {},
): Promise<ApiPrincipal> {
  const token = readBearerToken(request);
  if (alsoAccepts.includes("activation_secret") && isActivationSecret(token)) {
    return { kind: "activation_secret" };
  }
  const key = await authenticateApiKey(token);
  if (!key) throw unauthorized("The API key is not valid or has been revoked.");
  return { kind: "api_key", ...key };
}

/**
 * 403 unless the principal may perform an operation needing `scope` (read: analytics and
 * referrals; write: activation): the key has the scope and its store is active (a suspended or
 * uninstalled store's keys stop working). The activation secret needs no scope.
 */
export function authorizeApiPrincipal(principal: ApiPrincipal, scope: ApiScope) {
  if (principal.kind === "activation_secret") return;
  if (principal.storeStatus !== "active") {
    throw new ApiError("forbidden", `The store of this API key is ${principal.storeStatus}.`);
  }
  if (!principal.scopes.includes(scope)) {
    throw new ApiError("forbidden", `This API key lacks the "${scope}" scope.`);
  }
}

/** The store a store-only operation reads; such operations never take the activation secret. */
export function storeIdOf(principal: ApiPrincipal): number {
  if (principal.kind !== "api_key") {
    throw new ApiError("forbidden", "This endpoint takes a store API key.");
  }
  return principal.storeId;
}
