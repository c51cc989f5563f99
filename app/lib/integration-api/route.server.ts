// The request pipeline every Integration API route shares, so that the route files only call a
// model and shape its result: method check → authentication → rate limit (per key, in
// PostgreSQL) → scope → zod-validated query/body → handler → response validated against the
// operation's own response schema. Everything thrown becomes the one JSON error shape.
import type { z } from "zod";

import { getEnv } from "~/env.server";
import {
  authenticateApiRequest,
  authorizeApiPrincipal,
  type ApiPrincipal,
} from "~/lib/integration-api/auth.server";
import {
  ApiError,
  apiErrorResponse,
  validationError,
  withApiErrors,
} from "~/lib/integration-api/errors.server";
import { isPayloadTooLarge, readBodyBytes } from "~/lib/infra/request-body.server";
import { hitRateLimit, type RateLimitDecision } from "~/models/rate-limit.server";
import type { ApiOperation } from "~/schemas/api-v1";

/** Bodies are tiny JSON objects; anything larger is refused before it is buffered. */
const MAX_BODY_BYTES = 16 * 1024;

type Input<Schema> = Schema extends z.ZodType ? z.output<Schema> : undefined;

export interface ApiHandlerArgs<Query, Body> {
  request: Request;
  principal: ApiPrincipal;
  query: Query;
  body: Body;
}

type RouteArgs = { request: Request };

/**
 * The loader and action of an API route. Both run the same pipeline: Remix sends GET/HEAD to
 * the loader and every other method to the action, and the method check answers 405 for the
 * ones the operation does not take.
 */
export function apiRoute<
  Query extends z.ZodType | undefined,
  Body extends z.ZodType | undefined,
  Result extends z.ZodType,
>(
  operation: ApiOperation<Query, Body, Result>,
  handler: (args: ApiHandlerArgs<Input<Query>, Input<Body>>) => Promise<z.input<Result>>,
) {
  const handle = ({ request }: RouteArgs) =>
    handleApiRequest(request, operation, (args) =>
      handler({ ...args, query: args.query as Input<Query>, body: args.body as Input<Body> }),
    );
  return { loader: handle, action: handle };
}

async function handleApiRequest(
  request: Request,
  operation: ApiOperation<z.ZodType | undefined, z.ZodType | undefined, z.ZodType>,
  handler: (args: ApiHandlerArgs<unknown, unknown>) => Promise<unknown>,
): Promise<Response> {
  let headers: Record<string, string> = {};
  return withApiErrors(
    async () => {
      assertMethod(request, [operation.method]);
      const principal = await authenticateApiRequest(request, {
        alsoAccepts: operation.alsoAccepts,
      });
      if (principal.kind === "api_key") {
        const decision = await hitRateLimit({
          bucketKey: `api-key:${principal.apiKeyId}`,
          limit: getEnv().API_RATE_LIMIT_PER_MINUTE,
        });
        headers = rateLimitHeaders(decision);
        if (!decision.allowed) {
          throw new ApiError(
            "rate_limited",
            `Rate limit of ${decision.limit} requests per minute reached; retry in ${decision.resetInSeconds} s.`,
            { "retry-after": String(decision.resetInSeconds) },
          );
        }
      }
      authorizeApiPrincipal(principal, operation.scope);
      const query = operation.query ? readQuery(request, operation.query) : undefined;
      const body = operation.body ? await readJsonBody(request, operation.body) : undefined;
      const result = await handler({ request, principal, query, body });
      const checked = operation.response.safeParse(result);
      if (!checked.success) {
        // A bug on our side, never the caller's: a 500, logged with what did not match.
        throw new Error(
          `${operation.operationId} response does not match its schema: ${checked.error.message}`,
        );
      }
      return Response.json(checked.data, {
        headers: { ...headers, "cache-control": "no-store" },
      });
    },
    () => headers,
  );
}

function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    "ratelimit-limit": String(decision.limit),
    "ratelimit-remaining": String(decision.remaining),
    "ratelimit-reset": String(decision.resetInSeconds),
  };
}

/** 405 unless the request uses one of the methods (HEAD goes with GET). */
export function assertMethod(request: Request, methods: readonly string[]) {
  const allowed = methods.includes("GET") ? [...methods, "HEAD"] : [...methods];
  if (!allowed.includes(request.method.toUpperCase())) {
    throw new ApiError(
      "method_not_allowed",
      `${request.method} is not allowed here; use ${methods.join(", ")}.`,
      { allow: allowed.join(", ") },
    );
  }
}

/** The JSON 404 of every URL under /api/v1 that is not an endpoint. */
export function apiNotFoundResponse(request: Request): Response {
  const { pathname } = new URL(request.url);
  return apiErrorResponse(
    new ApiError(
      "not_found",
      `No endpoint at ${request.method} ${pathname}; see /api/v1/openapi.json.`,
    ),
  );
}

/**
 * Query parameters through the operation's schema. The first value of a repeated parameter
 * wins, an empty value counts as absent, unknown parameters are ignored.
 */
function readQuery<Schema extends z.ZodType>(request: Request, schema: Schema): z.output<Schema> {
  const raw: Record<string, string> = {};
  for (const [name, value] of new URL(request.url).searchParams) {
    if (!(name in raw) && value !== "") raw[name] = value;
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw validationError(result.error, "query parameter", schema);
  return result.data;
}

async function readJsonBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
): Promise<z.output<Schema>> {
  const text = await readBodyText(request);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError("bad_request", "The request body must be a JSON object.");
  }
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, "body field", schema);
  return result.data;
}

async function readBodyText(request: Request): Promise<string> {
  try {
    return Buffer.from(await readBodyBytes(request, MAX_BODY_BYTES)).toString("utf8");
  } catch (thrown) {
    // The shared reader's 413 (and 400 for a broken-off body) as the API's own error.
    if (thrown instanceof Response) {
      if (isPayloadTooLarge(thrown)) {
        const message = `The request body exceeds ${MAX_BODY_BYTES} bytes.`;
        throw new ApiError("payload_too_large", message, { connection: "close" });
      }
      throw new ApiError("bad_request", "The request body could not be read.");
    }
    throw thrown;
  }
}
