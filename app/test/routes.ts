// Calling Remix loaders and actions from tests the way Remix does, and shops ready for the admin.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { createTestStore } from "~/test/builders";
import { installTestShopSession } from "~/test/shopify";

export type RouteFunction<T> = (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<T>;

/** Runs a loader or action; a thrown Response (auth, 4xx) is returned as the outcome. */
export async function callRoute<T>(
  route: RouteFunction<T>,
  request: Request,
): Promise<T | Response> {
  try {
    return await route({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** Runs a loader or action that must succeed with data (not a Response). */
export async function loadData<T>(
  route: RouteFunction<T>,
  request: Request,
): Promise<Exclude<T, Response>> {
  const outcome = await callRoute(route, request);
  if (outcome instanceof Response) {
    throw new Error(`Expected data, got a ${outcome.status} response: ${await outcome.text()}`);
  }
  return outcome as Exclude<T, Response>;
}

/** A store whose shop has the app installed (an offline session), as after afterAuth. */
export async function createInstalledTestStore(
  options: Parameters<typeof createTestStore>[0] = {},
) {
  const store = await createTestStore(options);
  await installTestShopSession({ shopDomain: store.shopDomain });
  return store;
}
