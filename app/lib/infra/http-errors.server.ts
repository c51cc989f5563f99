// The app's one JSON error shape, `{ "error": { "code": "…", "message": "…" } }`, for every
// response that is not a page: the Integration API, the webhook routes, the admin's data
// requests and the local preview. Built here and nowhere else.

export interface ErrorBody<Code extends string = string> {
  error: { code: Code; message: string };
}

export function errorBody<Code extends string>(code: Code, message: string): ErrorBody<Code> {
  return { error: { code, message } };
}

/** A JSON error response; `init.headers` are kept (Allow, Retry-After, Cache-Control …). */
export function errorResponse(
  status: number,
  code: string,
  message: string,
  init: { headers?: HeadersInit } = {},
): Response {
  return Response.json(errorBody(code, message), { status, headers: init.headers });
}

/** A 400 thrown from a loader or action on bad input. */
export function badRequest(message: string, code = "invalid_request"): Response {
  return errorResponse(400, code, message);
}

/** The 405 of a page that takes no form: thrown from its action, naming what it answers. */
export function pageMethodNotAllowed(): Response {
  return errorResponse(405, "method_not_allowed", "This page answers GET and HEAD only.", {
    headers: { allow: "GET, HEAD" },
  });
}
