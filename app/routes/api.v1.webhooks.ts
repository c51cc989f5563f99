// GET /api/v1/webhooks: the key's store's webhook endpoints; POST { url, events }: adds one and
// returns its secret, once (scope write, as in the admin's Webhooks page).
import { getEnv } from "~/env.server";
import { storeIdOf } from "~/lib/integration-api/auth.server";
import { invalidInputError } from "~/lib/integration-api/errors.server";
import { apiRoute } from "~/lib/integration-api/route.server";
import { addressPolicyOf, checkEndpointUrl } from "~/lib/webhooks/outbound/address-policy.server";
import {
  createWebhookEndpoint,
  listWebhookEndpoints,
  TooManyWebhookEndpointsError,
  WEBHOOK_ENDPOINTS_PER_STORE_MAX,
} from "~/models/webhook-endpoint.server";
import { apiOperations, CreateWebhookEndpointBody, toApiWebhookEndpoint } from "~/schemas/api-v1";

const list = apiRoute(apiOperations.listWebhookEndpoints, async ({ principal }) => {
  const endpoints = await listWebhookEndpoints({ storeId: storeIdOf(principal) });
  return { data: endpoints.map(toApiWebhookEndpoint) };
});

const create = apiRoute(apiOperations.createWebhookEndpoint, async ({ principal, body }) => {
  const checked = checkEndpointUrl(body.url, addressPolicyOf(getEnv()));
  if (!checked.ok) {
    throw invalidInputError({
      location: "body field",
      path: ["url"],
      reason: checked.problem,
      schema: CreateWebhookEndpointBody,
    });
  }
  try {
    const { endpoint, secret } = await createWebhookEndpoint({
      storeId: storeIdOf(principal),
      url: checked.url,
      events: [...new Set(body.events)],
    });
    return { endpoint: toApiWebhookEndpoint(endpoint), secret };
  } catch (error) {
    if (error instanceof TooManyWebhookEndpointsError) {
      throw invalidInputError({
        location: "field",
        path: [],
        reason: `a store may have at most ${WEBHOOK_ENDPOINTS_PER_STORE_MAX} webhook endpoints`,
      });
    }
    throw error;
  }
});

// GET goes to the list, every other method to the create operation (405 but for POST).
export const loader = list.loader;
export const action = create.action;
