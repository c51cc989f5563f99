// Every admin loader and action starts here: the request is authenticated by Shopify (session
// token), and the store is the one of the session's shop, never one named by the request.
import { ensureRegisteredStore } from "~/lib/shopify/registration.server";
import { authenticate } from "~/shopify.server";

export async function requireStoreAdmin(request: Request) {
  const { session, admin } = await authenticate.admin(request);
  const store = await ensureRegisteredStore({ shopDomain: session.shop, graphql: admin.graphql });
  return { session, admin, store };
}
