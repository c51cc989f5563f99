// Every other URL under /api/v1: a JSON 404 in the API's error shape, whatever the method.
import { apiNotFoundResponse } from "~/lib/integration-api/route.server";

export const loader = ({ request }: { request: Request }) => apiNotFoundResponse(request);
export const action = loader;
