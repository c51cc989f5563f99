// Builders for Integration API tests: keys made by the app's own model, real Requests, and a
// call helper that checks every response against the generated OpenAPI document.
import { getEnv } from "~/env.server";
import { createApiKey, type ApiKeyScope } from "~/models/api-key.server";
import { assertMatchesOpenApi } from "~/test/openapi";

export async function createTestApiKey({
  storeId,
  scopes = ["read", "write"],
  name = "Test integration",
}: {
  storeId: number;
  scopes?: ApiKeyScope[];
  name?: string;
}) {
  return createApiKey({ storeId, name, scopes });
}

/** A request to the API. `key` becomes `Authorization: Bearer <key>`; `authorization` is sent as is. */
export function apiRequest(
  url: string,
  {
    key,
    authorization,
    method = "GET",
    body,
    headers = {},
  }: {
    key?: string;
    authorization?: string;
    method?: string;
    body?: unknown;
    headers?: Record<string, string>;
  } = {},
): Request {
  const allHeaders: Record<string, string> = { accept: "application/json", ...headers };
  if (key) allHeaders.authorization = `Bearer ${key}`;
  if (authorization !== undefined) allHeaders.authorization = authorization;
  if (body !== undefined) allHeaders["content-type"] ??= "application/json";
  return new Request(new URL(url, getEnv().SHOPIFY_APP_URL), {
    method,
    headers: allHeaders,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

interface ApiRouteModule {
  loader: (args: { request: Request }) => Promise<Response> | Response;
  action: (args: { request: Request }) => Promise<Response> | Response;
}

export interface ApiResult<Body = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: Body;
}

/**
 * Calls the route as Remix would (GET/HEAD → loader, anything else → action) and validates the
 * response against the OpenAPI document before returning it.
 */
export async function callApi<Body = Record<string, unknown>>(
  route: ApiRouteModule,
  request: Request,
): Promise<ApiResult<Body>> {
  const method = request.method.toUpperCase();
  const handler = method === "GET" || method === "HEAD" ? route.loader : route.action;
  const response = await handler({ request });
  expectJson(response);
  const body = (await response.json()) as Body;
  assertMatchesOpenApi({
    path: new URL(request.url).pathname,
    method,
    status: response.status,
    headers: response.headers,
    body,
  });
  return { status: response.status, headers: response.headers, body };
}

function expectJson(response: Response) {
  const type = response.headers.get("content-type") ?? "";
  if (!type.startsWith("application/json")) {
    throw new Error(`Expected a JSON response, got ${response.status} with "${type}".`);
  }
}
