// Every admin loader and action starts here: the request is authenticated by Shopify (session
// token), and the store is the one of the session's shop, never one named by the request.
import { localPreview } from "~/demo/index.server";
import { ensureRegisteredStore } from "~/lib/shopify/registration.server";
import { authenticate } from "~/shopify.server";

export async function requireStoreAdmin(request: Request) {
  const { session, admin: shopifyAdmin } = await authenticate.admin(request);
  // Inside the local preview (never in production) the Admin API is a local stand-in: a demo
  // shop does not exist on Shopify, and nothing of the demo leaves the machine.
  const standIn = localPreview()?.adminGraphql(request, session.shop);
  const admin = standIn ? { ...shopifyAdmin, graphql: standIn } : shopifyAdmin;
  const store = await ensureRegisteredStore({ shopDomain: session.shop, graphql: admin.graphql });
  return { session, admin, store };
}
