// The error page of a public page (sign-up, sign-in) in the landing page's style, and the headers
// that keep a thrown 405's Allow: Remix keeps only the cookies of a thrown response unless the
// route of the error boundary passes its headers on, hence a boundary of the page's own.
import type { HeadersFunction } from "@remix-run/node";
import { isRouteErrorResponse, useRouteError } from "@remix-run/react";

export const keepAllowHeader: HeadersFunction = ({ parentHeaders, errorHeaders }) => {
  const headers = new Headers(parentHeaders);
  const allow = errorHeaders?.get("allow");
  if (allow) headers.set("allow", allow);
  return headers;
};

export function PublicPageError() {
  const error = useRouteError();
  const answered = isRouteErrorResponse(error);
  const data = answered ? (error.data as { error?: { message?: string } } | null) : null;
  return (
    <main className="landing">
      <h1>{answered ? error.status : "Something went wrong"}</h1>
      <p>{data?.error?.message ?? "Try again from the store's link."}</p>
    </main>
  );
}
