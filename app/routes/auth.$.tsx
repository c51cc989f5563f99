// The rest of Shopify's auth paths under /auth (the login page is auth.login.tsx): the session
// token bounce page (/auth/session-token) and the exit-iframe page (/auth/exit-iframe), both
// answered by authenticate.admin as Shopify's library expects.
import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { ShopifyError } from "@shopify/shopify-api";
import { boundary } from "@shopify/shopify-app-remix/server";

import { AdminErrorBoundary } from "~/components/AdminErrorBoundary";
import { badRequest } from "~/lib/infra/http-errors.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  try {
    await authenticate.admin(request);
  } catch (error) {
    // The library refuses a bounce or exit-iframe URL whose parameters it cannot trust (no
    // shop, an untrusted destination) with an error: the request's fault, a 400.
    if (error instanceof ShopifyError) throw badRequest("This authentication link is not valid.");
    throw error;
  }
  return null;
}

// The library throws those pages as HTML responses: shown as they are.
export const ErrorBoundary = AdminErrorBoundary;

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
