// The OpenAPI 3.1 document of the Integration API, generated from the zod schemas and the
// operation table in app/schemas/api-v1.ts (the same objects the routes validate with).
import { z } from "zod";

import { API_ERROR_STATUS } from "~/lib/integration-api/errors.server";
import { RATE_LIMIT_WINDOW_MS } from "~/models/rate-limit.server";
import {
  apiComponents,
  apiOperations,
  type ApiErrorCode,
  type ApiOperation,
} from "~/schemas/api-v1";
import { WEBHOOK_PAYLOAD_COMPONENT_IDS } from "~/schemas/webhook-events";

type JsonSchema = Record<string, unknown>;

const TARGET = "draft-2020-12";
const COMPONENT_REF = (id: string) => `#/components/schemas/${id}`;

/** Errors any authenticated operation can answer with. */
const COMMON_ERRORS: readonly ApiErrorCode[] = [
  "unauthorized",
  "forbidden",
  "rate_limited",
  "internal_error",
  "service_unavailable",
];

const ERROR_DESCRIPTIONS: Record<ApiErrorCode, string> = {
  bad_request: "The body is not JSON.",
  unauthorized: "Missing, malformed, unknown or revoked credentials.",
  forbidden: "The key lacks the required scope, or its store is not active.",
  not_found: "No such resource for these credentials.",
  method_not_allowed: "The path does not take this method.",
  payload_too_large: "The body exceeds 16 KiB.",
  validation_failed: "A parameter or body field is invalid; the message names it.",
  rate_limited: "The key's requests per minute are used up; see Retry-After.",
  internal_error: "An unexpected error (logged on our side).",
  service_unavailable: "The database is unreachable; retry shortly.",
};

const RATE_LIMIT_HEADERS = ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"] as const;

function withoutDialect(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
}

function componentRef(schema: z.ZodType): JsonSchema {
  const id = apiComponents.get(schema)?.id;
  if (!id) throw new Error("Every response schema of the Integration API must be a component.");
  return { $ref: COMPONENT_REF(id) };
}

function queryParameters(schema: z.ZodType | undefined) {
  if (!schema) return undefined;
  const json = z.toJSONSchema(schema, { target: TARGET, io: "input" }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: "query",
      required: json.required?.includes(name) ?? false,
      description,
      schema: propertySchema,
    };
  });
}

const HEADER_DEFINITIONS = {
  "RateLimit-Limit": {
    description: "Requests the key may make per window.",
    schema: { type: "integer", minimum: 1 },
  },
  "RateLimit-Remaining": {
    description: "Requests left in the current window.",
    schema: { type: "integer", minimum: 0 },
  },
  "RateLimit-Reset": {
    description: "Seconds until the current window ends.",
    schema: { type: "integer", minimum: 1 },
  },
  "Retry-After": {
    description: "Seconds to wait before retrying.",
    schema: { type: "integer", minimum: 1 },
  },
} as const;

/**
 * The rate-limit headers of a response: always there for an API key; an operation that also
 * takes the activation secret (which has no key budget) lists them as optional.
 */
function rateLimitHeaderObjects(operation: ApiOperation) {
  const keyOnly = !operation.alsoAccepts?.length;
  return Object.fromEntries(
    RATE_LIMIT_HEADERS.map((name) => [
      name,
      keyOnly
        ? { $ref: `#/components/headers/${name}` }
        : {
            ...HEADER_DEFINITIONS[name],
            description: `${HEADER_DEFINITIONS[name].description} Absent with the activation secret.`,
            required: false,
          },
    ]),
  );
}

function errorResponse(code: ApiErrorCode, rateLimitHeaders: Record<string, unknown> | null) {
  const headers: Record<string, unknown> = { ...rateLimitHeaders };
  if (code === "rate_limited" || code === "service_unavailable") {
    headers["Retry-After"] = { $ref: "#/components/headers/Retry-After" };
  }
  return {
    description: `\`${code}\`: ${ERROR_DESCRIPTIONS[code]}`,
    headers: Object.keys(headers).length > 0 ? headers : undefined,
    content: { "application/json": { schema: { $ref: COMPONENT_REF("Error") } } },
  };
}

function describeOperation(operation: ApiOperation) {
  const rateLimitHeaders = rateLimitHeaderObjects(operation);
  const responses: Record<string, unknown> = {
    200: {
      description: "OK",
      headers: rateLimitHeaders,
      content: { "application/json": { schema: componentRef(operation.response) } },
    },
  };
  for (const code of [...COMMON_ERRORS, ...(operation.errors ?? [])]) {
    const status = API_ERROR_STATUS[code];
    // Only a request that got past authentication has a key budget to report.
    const afterAuthentication = code !== "unauthorized" && code !== "service_unavailable";
    responses[status] = errorResponse(code, afterAuthentication ? rateLimitHeaders : null);
  }
  const security: Array<Record<string, string[]>> = [{ apiKey: [operation.scope] }];
  if (operation.alsoAccepts?.includes("activation_secret")) security.push({ activationSecret: [] });
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    description: operation.description,
    tags: [operation.tag],
    security,
    parameters: queryParameters(operation.query),
    requestBody: operation.body
      ? {
          required: true,
          content: {
            "application/json": {
              schema: withoutDialect(
                z.toJSONSchema(operation.body, { target: TARGET, io: "input" }) as JsonSchema,
              ),
            },
          },
        }
      : undefined,
    responses,
  };
}

const DESCRIPTION = `Read a store's referral funnel and mark referred users active.

**Authentication.** Send \`Authorization: Bearer <key>\`. Keys are created (and revoked) by the
store in the app's admin page *API keys*; each has the scopes \`read\` (analytics, referrals)
and/or \`write\` (activation) and sees only its own store. Syntropy's backend may call the
activation endpoint with its server-to-server secret instead.

**Errors.** Every error is \`{ "error": { "code", "message" } }\`; the code fixes the status.
Unknown paths under /api/v1 answer 404 and wrong methods 405 in the same shape.

**Rate limit.** Each key may make a fixed number of requests per ${RATE_LIMIT_WINDOW_MS / 1000}-second
window (60 by default), shared by every server. Responses to authenticated requests carry
\`RateLimit-Limit\`, \`RateLimit-Remaining\` and \`RateLimit-Reset\` (seconds until the window
resets); past the limit the answer is 429 with \`Retry-After\`.

**Sign-up quality.** Every attributed signup counts in \`total_signups\` (the seeds' meaning).
Quality checks flag some for review by Syntropy Health (possible self-referral, throwaway
e-mail, many sign-ups from one device, an unusual burst): \`flagged_signups\` are awaiting
review, \`qualified_signups\` leaves them out, and those rejected after review.`;

const SIGNATURE_HEADERS = {
  "webhook-id": "The event's id (msg_…): the same on every retry, so receivers can dedupe.",
  "webhook-timestamp": "Seconds since the epoch when this attempt was signed.",
  "webhook-signature":
    "Space-separated `v1,<base64 HMAC-SHA256>` signatures (two while a rotated secret overlaps).",
} as const;

/**
 * The top-level `webhooks` of OpenAPI 3.1: one POST per event type, signed per Standard
 * Webhooks, its body the payload's component (schemas/webhook-events.ts).
 */
function describeWebhooks() {
  return Object.fromEntries(
    Object.entries(WEBHOOK_PAYLOAD_COMPONENT_IDS).map(([type, id]) => [
      type,
      {
        post: {
          operationId: `webhook_${type.replace(/\W/g, "_")}`,
          summary: type,
          description:
            "Signed per Standard Webhooks: verify the body with the endpoint's secret " +
            "(any Standard Webhooks or Svix library). Answer 2xx within 5 s; anything else is " +
            "retried with backoff for at least 24 hours, and 410 Gone disables the endpoint.",
          tags: ["Webhooks"],
          // Sent by us: the receiver authenticates the request by its signature headers.
          security: [],
          parameters: Object.entries(SIGNATURE_HEADERS).map(([name, description]) => ({
            name,
            in: "header",
            required: true,
            description,
            schema: { type: "string" },
          })),
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: COMPONENT_REF(id) } } },
          },
          responses: {
            "2XX": { description: "Received: the delivery is done." },
            "410": { description: "Gone: the endpoint is disabled, nothing more is sent." },
          },
        },
      },
    ]),
  );
}

export function buildOpenApiDocument({ serverUrl }: { serverUrl: string }) {
  const { schemas } = z.toJSONSchema(apiComponents, {
    target: TARGET,
    io: "output",
    uri: COMPONENT_REF,
  });
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of Object.values(apiOperations) as ApiOperation[]) {
    paths[operation.path] ??= {};
    paths[operation.path]![operation.method.toLowerCase()] = describeOperation(operation);
  }
  paths["/api/v1/openapi.json"] = {
    get: {
      operationId: "getOpenApiDocument",
      summary: "This document",
      tags: ["Meta"],
      security: [],
      responses: {
        200: {
          description: "The OpenAPI 3.1 document of the Integration API.",
          content: { "application/json": { schema: { type: "object" } } },
        },
      },
    },
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "Store Referrals Integration API",
      version: "1.0.0",
      description: DESCRIPTION,
    },
    servers: [{ url: serverUrl }],
    tags: [
      { name: "Analytics", description: "The store's referral funnel." },
      { name: "Referrals", description: "Referral events and activation." },
      { name: "Meta", description: "About the API itself." },
      {
        name: "Webhooks",
        description: "Events pushed to the store's endpoints (admin: Webhooks).",
      },
    ],
    paths,
    webhooks: describeWebhooks(),
    components: {
      schemas: Object.fromEntries(
        Object.entries(schemas).map(([id, schema]) => [id, withoutDialect(schema as JsonSchema)]),
      ),
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "sr_live_<43 characters>",
          description: "A store API key. Scopes: read (analytics, referrals), write (activation).",
        },
        activationSecret: {
          type: "http",
          scheme: "bearer",
          description:
            "Syntropy's server-to-server secret (ACTIVATION_API_SECRET); activation only.",
        },
      },
      headers: Object.fromEntries(
        Object.entries(HEADER_DEFINITIONS).map(([name, header]) => [
          name,
          { ...header, required: true },
        ]),
      ),
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
