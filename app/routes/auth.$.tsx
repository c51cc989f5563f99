// The rest of Shopify's auth paths under /auth (the login page is auth.login.tsx): the session
// token bounce page (/auth/session-token) and the exit-iframe page (/auth/exit-iframe), both
// answered by authenticate.admin as Shopify's library expects.
import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { boundary } from "@shopify/shopify-app-remix/server";

import { AdminErrorBoundary } from "~/components/AdminErrorBoundary";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await authenticate.admin(request);
  return null;
}

// The library throws those pages as HTML responses: shown as they are.
export const ErrorBoundary = AdminErrorBoundary;

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
