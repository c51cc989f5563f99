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

/**
 * A 422 naming the first invalid field of a zod error, what was wrong in words (never zod's own
 * text, "expected int, received number"), what the field takes (its `.describe()` text, as the
 * OpenAPI document shows it) and an example (its `.meta({ examples })`, its default, or its first
 * choice). `schema` is the object the input was parsed with; without it, only the words.
 */
export function validationError(
  error: z.ZodError,
  location: InputLocation = "field",
  schema?: z.ZodType,
): ApiError {
  const issue = error.issues[0];
  return invalidInputError({
    location,
    path: issue?.path ?? [],
    reason: issue ? describeIssue(issue) : "invalid value",
    schema,
  });
}

/**
 * The 422 of one invalid field, in the words above; also for checks made after parsing (a page
 * cursor that decodes to nothing this API wrote).
 */
export function invalidInputError({
  location,
  path,
  reason,
  schema,
}: {
  location: InputLocation;
  path: PropertyKey[];
  reason: string;
  schema?: z.ZodType;
}): ApiError {
  const field = path.map(String).join(".");
  const subject = field ? `${location} "${field}"` : "input";
  const fieldSchema = schema && path.length > 0 ? fieldSchemaOf(schema, path) : undefined;
  const sentences = [`Invalid ${subject}: ${reason}.`];
  const expected = fieldSchema?.description;
  if (expected) sentences.push(`Expected: ${expected.replace(/\.$/, "")}.`);
  const example = fieldSchema ? exampleOf(fieldSchema) : undefined;
  if (example !== undefined) {
    sentences.push(
      location === "query parameter"
        ? `Example: ${field}=${example}.`
        : `Example: ${JSON.stringify({ [field]: example })}.`,
    );
  }
  return new ApiError("validation_failed", sentences.join(" "));
}

/** What was wrong, in words: zod's issue kinds, its own texts only for the app's custom checks. */
function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.expected === "int") return "must be a whole number";
      if (issue.expected === "number") return "must be a number";
      if (issue.path.length > 0 && issue.input === undefined) return "is required";
      return `must be ${issue.expected === "object" ? "an object" : `a ${issue.expected}`}`;
    case "too_small":
      return issue.origin === "string"
        ? issue.minimum === 1
          ? "must not be empty"
          : `must be at least ${issue.minimum} characters`
        : `must be at least ${issue.minimum}`;
    case "too_big":
      return issue.origin === "string"
        ? `must be at most ${issue.maximum} characters`
        : `must be at most ${issue.maximum}`;
    case "invalid_value":
      return `must be one of ${issue.values.map(String).join(", ")}`;
    case "invalid_format":
      return issue.format === "date" ? "must be a date (YYYY-MM-DD)" : `must be a ${issue.format}`;
    default:
      return issue.message;
  }
}

type SchemaDef = {
  type?: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  defaultValue?: unknown;
  entries?: Record<string, string>;
  format?: string;
};

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** The schema of one field of an object schema (through optional, default and pipe wrappers). */
function fieldSchemaOf(schema: z.ZodType, path: PropertyKey[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  for (const key of path) {
    while (current && !defOf(current).shape) {
      const def = defOf(current);
      current = def.innerType ?? def.in;
    }
    current = current ? defOf(current).shape?.[String(key)] : undefined;
  }
  return current;
}

/** The field's example: declared, else its default, else its first choice, else a day. */
function exampleOf(schema: z.ZodType): unknown {
  const declared = (schema.meta() as { examples?: unknown[] } | undefined)?.examples?.[0];
  if (declared !== undefined) return declared;
  for (let current: z.ZodType | undefined = schema; current;) {
    const def = defOf(current);
    if (def.type === "default") return def.defaultValue;
    if (def.type === "enum" && def.entries) return Object.values(def.entries)[0];
    if (def.type === "string" && def.format === "date") return "2026-11-30";
    current = def.innerType ?? def.in;
  }
  return undefined;
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
