// GET /api/v1/openapi.json: the OpenAPI 3.1 document, generated from app/schemas/api-v1.ts.
import { getEnv } from "~/env.server";
import { withApiErrors } from "~/lib/integration-api/errors.server";
import { assertMethod } from "~/lib/integration-api/route.server";
import { buildOpenApiDocument, type OpenApiDocument } from "~/lib/integration-api/openapi.server";

let document: OpenApiDocument | undefined;

function handle({ request }: { request: Request }) {
  return withApiErrors(async () => {
    assertMethod(request, ["GET"]);
    document ??= buildOpenApiDocument({ serverUrl: getEnv().SHOPIFY_APP_URL });
    return Response.json(document, {
      headers: { "cache-control": "public, max-age=300", "access-control-allow-origin": "*" },
    });
  });
}

export const loader = handle;
export const action = handle;
