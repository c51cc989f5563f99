// The one error type of the Integration API and its one JSON shape:
// `{ "error": { "code": "validation_failed", "message": "…" } }`. Routes throw; withApiErrors
// turns whatever was thrown into a response, so bad input is a 4xx and never a 500.
import { z } from "zod";

import { errorBody } from "~/lib/infra/http-errors.server";
import { logger } from "~/lib/infra/logger.server";
import { API_ERROR_CODES, type ApiErrorCode } from "~/schemas/api-v1";

export { API_ERROR_CODES, type ApiErrorCode };

export const API_ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  validation_failed: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const satisfies Record<ApiErrorCode, number>;

export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    /** Extra response headers (Allow, Retry-After, WWW-Authenticate …). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = API_ERROR_STATUS[code];
  }
}

/** Where a value came from, to name it in a 422: `query parameter "limit"`, `body field "user_id"`. */
export type InputLocation = "query parameter" | "body field" | "field";

/** A 422 naming the first invalid field of a zod error. */
export function validationError(error: z.ZodError, location: InputLocation = "field"): ApiError {
  const issue = error.issues[0];
  const field = issue?.path.join(".") ?? "";
  const subject = field ? `${location} "${field}"` : "input";
  return new ApiError(
    "validation_failed",
    `Invalid ${subject}: ${issue?.message ?? "invalid value"}.`,
  );
}

export function apiErrorBody(code: ApiErrorCode, message: string) {
  return errorBody(code, message);
}

export function apiErrorResponse(error: ApiError, headers: HeadersInit = {}): Response {
  const merged = new Headers(headers);
  for (const [name, value] of Object.entries(error.headers)) merged.set(name, value);
  merged.set("cache-control", "no-store");
  return Response.json(apiErrorBody(error.code, error.message), {
    status: error.status,
    headers: merged,
  });
}

// Connection-level failures (PostgreSQL down, restarting or out of connections): the client
// can retry later, so they are a 503 rather than a 500.
const UNAVAILABLE_ERRNOS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE"]);
const UNAVAILABLE_SQLSTATES = new Set(["53300", "57P01", "57P02", "57P03"]);

export function isServiceUnavailable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    if (UNAVAILABLE_ERRNOS.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(code)) return true; // SQLSTATE class 08: connection exception
  }
  const message = error instanceof Error ? error.message : "";
  return /timeout exceeded when trying to connect|Connection terminated/i.test(message);
}

/** Turns anything thrown by an API handler into the JSON error shape. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof z.ZodError) return validationError(error);
  if (isServiceUnavailable(error)) {
    logger.warn("api.service_unavailable", { error });
    return new ApiError("service_unavailable", "The service is unavailable, try again shortly.", {
      "retry-after": "5",
    });
  }
  logger.error("api.unexpected_error", { error });
  return new ApiError("internal_error", "An unexpected error occurred.");
}

/** Runs an API handler; thrown ApiErrors, zod errors and unexpected errors become JSON responses. */
export async function withApiErrors(
  handler: () => Promise<Response>,
  headers: () => HeadersInit = () => ({}),
): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    // Remix's own thrown responses (none expected here) pass through untouched.
    if (error instanceof Response) return error;
    return apiErrorResponse(toApiError(error), headers());
  }
}
