// Checks a response of the Integration API against the generated OpenAPI document (the one
// served at /api/v1/openapi.json): the status must be documented for the path and method, the
// body must match that response's schema (JSON Schema 2020-12, with formats) and every header
// the document marks required must be there.
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";

import { buildOpenApiDocument, type OpenApiDocument } from "~/lib/integration-api/openapi.server";

const DOCUMENT_ID = "openapi.json";

let cached: { document: OpenApiDocument; ajv: Ajv2020 } | undefined;

export function openApi() {
  if (!cached) {
    const document = buildOpenApiDocument({ serverUrl: "https://store-referrals.test" });
    // strict: false, because the document's own keywords (openapi, paths, …) are not JSON Schema.
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(document, DOCUMENT_ID);
    cached = { document, ajv };
  }
  return cached;
}

function pointer(...segments: string[]) {
  return segments.map((segment) => segment.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}

const validators = new Map<string, ValidateFunction>();

function validatorAt(path: string): ValidateFunction {
  let validate = validators.get(path);
  if (!validate) {
    validate = openApi().ajv.compile({ $ref: `${DOCUMENT_ID}#/${path}` });
    validators.set(path, validate);
  }
  return validate;
}

interface HeaderObject {
  required?: boolean;
  $ref?: string;
}

function resolveHeader(header: HeaderObject): HeaderObject {
  if (!header.$ref) return header;
  const name = header.$ref.replace("#/components/headers/", "");
  return (openApi().document.components.headers as Record<string, HeaderObject>)[name] ?? {};
}

/**
 * Throws unless the response matches the document. `path` is the documented path (e.g.
 * "/api/v1/referrals"); a URL that is not an endpoint (the 404 catch-all, a 405) is checked
 * against the shared error schema.
 */
export function assertMatchesOpenApi({
  path,
  method,
  status,
  headers,
  body,
}: {
  path: string;
  method: string;
  status: number;
  headers: Headers;
  body: unknown;
}) {
  const { document } = openApi();
  const operation = (
    document.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>
  )[path]?.[method.toLowerCase()];

  if (!operation) {
    if (status !== 404 && status !== 405) {
      throw new Error(`${method} ${path} is not in the OpenAPI document but answered ${status}.`);
    }
    check(pointer("components", "schemas", "Error"), body, `${method} ${path} ${status}`);
    return;
  }
  const response = operation.responses[String(status)] as
    { headers?: Record<string, HeaderObject> } | undefined;
  if (!response) {
    throw new Error(`${method} ${path} answered ${status}, which the OpenAPI document omits.`);
  }
  check(
    pointer(
      "paths",
      path,
      method.toLowerCase(),
      "responses",
      String(status),
      "content",
      "application/json",
      "schema",
    ),
    body,
    `${method} ${path} ${status}`,
  );
  for (const [name, header] of Object.entries(response.headers ?? {})) {
    if (resolveHeader(header).required && !headers.has(name)) {
      throw new Error(`${method} ${path} ${status} lacks the required header ${name}.`);
    }
  }
}

function check(schemaPointer: string, body: unknown, label: string) {
  const validate = validatorAt(schemaPointer);
  if (!validate(body)) {
    throw new Error(
      `${label}: the body does not match the OpenAPI document: ${JSON.stringify(validate.errors)}\n${JSON.stringify(body)}`,
    );
  }
}

/**
 * Throws unless an outbound webhook request matches the document's top-level `webhooks`: its
 * type is documented, its body matches that event's schema, its signature headers are there.
 */
export function assertMatchesWebhookDocument({
  headers,
  body,
}: {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}) {
  const payload = JSON.parse(body) as { type?: string };
  const webhooks = openApi().document.webhooks as Record<
    string,
    { post: { parameters: Array<{ name: string; in: string; required: boolean }> } }
  >;
  const operation = payload.type ? webhooks[payload.type]?.post : undefined;
  if (!operation) throw new Error(`Webhook type ${payload.type} is not in the OpenAPI document.`);
  for (const parameter of operation.parameters) {
    if (parameter.in === "header" && parameter.required && !headers[parameter.name]) {
      throw new Error(`Webhook ${payload.type} lacks its required header ${parameter.name}.`);
    }
  }
  check(
    pointer(
      "webhooks",
      payload.type!,
      "post",
      "requestBody",
      "content",
      "application/json",
      "schema",
    ),
    payload,
    `webhook ${payload.type}`,
  );
}
