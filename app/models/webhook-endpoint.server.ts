// Outbound webhook endpoints of a store (docs/decisions/0020-outbound-webhooks.md). Every
// function is scoped to a store: an endpoint is never loaded by its id alone. The signing
// secret is returned once, at creation and at rotation; listings never carry it.
import { randomBytes } from "node:crypto";

import type { WebhookEndpoint } from "@prisma/client";

import { db } from "~/db.server";
import { isUuid, timeOrderedUuidFloor } from "~/lib/infra/uuid.server";
import type { WebhookEventType } from "~/schemas/webhook-event-types";

/** Standard Webhooks' secret format: `whsec_` + base64 of the key (32 random bytes here). */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** What the admin and the API may see of an endpoint: never its secrets. */
export interface WebhookEndpointSummary {
  id: string;
  url: string;
  events: WebhookEventType[];
  /** The previous secret signs too until then (after a rotation). */
  previousSecretExpiresAt: Date | null;
  consecutiveFailures: number;
  disabledAt: Date | null;
  disabledReason: string | null;
  createdAt: Date;
}

function toSummary(endpoint: WebhookEndpoint): WebhookEndpointSummary {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events as WebhookEventType[],
    previousSecretExpiresAt:
      endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > new Date()
        ? endpoint.previousSecretExpiresAt
        : null,
    consecutiveFailures: endpoint.consecutiveFailures,
    disabledAt: endpoint.disabledAt,
    disabledReason: endpoint.disabledReason,
    createdAt: endpoint.createdAt,
  };
}

/** Endpoints a store may have (each one is polled by every worker). */
export const WEBHOOK_ENDPOINTS_PER_STORE_MAX = 10;

export class TooManyWebhookEndpointsError extends Error {
  constructor() {
    super(`A store may have at most ${WEBHOOK_ENDPOINTS_PER_STORE_MAX} webhook endpoints.`);
    this.name = "TooManyWebhookEndpointsError";
  }
}

/**
 * Adds an endpoint (URL and events already validated) and returns its secret, once. Its click
 * feed starts now: earlier clicks are not sent.
 */
export async function createWebhookEndpoint({
  storeId,
  url,
  events,
}: {
  storeId: number;
  url: string;
  events: readonly WebhookEventType[];
}): Promise<{ endpoint: WebhookEndpointSummary; secret: string }> {
  const secret = generateWebhookSecret();
  // The count and the insert in one statement: parallel requests cannot pass the limit
  // together by more than they would one by one (the limit is a guard, not an invariant).
  const rows = await db.prisma.$queryRaw<WebhookEndpoint[]>`
    INSERT INTO "WebhookEndpoint" ("storeId", "url", "events", "secret", "clickCursor", "updatedAt")
    SELECT ${storeId}, ${url}, ${[...events]}::text[], ${secret}, ${timeOrderedUuidFloor(Date.now())}::uuid, now()
     WHERE (SELECT count(*) FROM "WebhookEndpoint" WHERE "storeId" = ${storeId}) < ${WEBHOOK_ENDPOINTS_PER_STORE_MAX}
    RETURNING *`;
  const endpoint = rows[0];
  if (!endpoint) throw new TooManyWebhookEndpointsError();
  return { endpoint: toSummary(endpoint), secret };
}

export async function listWebhookEndpoints({
  storeId,
}: {
  storeId: number;
}): Promise<WebhookEndpointSummary[]> {
  const endpoints = await db.prisma.webhookEndpoint.findMany({
    where: { storeId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return endpoints.map(toSummary);
}

export async function getWebhookEndpoint({
  storeId,
  endpointId,
}: {
  storeId: number;
  endpointId: string;
}): Promise<WebhookEndpointSummary | null> {
  if (!isUuid(endpointId)) return null;
  const endpoint = await db.prisma.webhookEndpoint.findFirst({
    where: { id: endpointId, storeId },
  });
  return endpoint ? toSummary(endpoint) : null;
}

/**
 * A new secret, returned once; the current one becomes the previous and still signs for
 * `overlapMs` (both signatures are sent), so receivers can switch without losing a delivery.
 */
export async function rotateWebhookEndpointSecret({
  storeId,
  endpointId,
  overlapMs,
}: {
  storeId: number;
  endpointId: string;
  overlapMs: number;
}): Promise<{ endpoint: WebhookEndpointSummary; secret: string } | null> {
  if (!isUuid(endpointId)) return null;
  const secret = generateWebhookSecret();
  const rows = await db.prisma.$queryRaw<WebhookEndpoint[]>`
    UPDATE "WebhookEndpoint"
       SET "previousSecret" = "secret", "secret" = ${secret},
           "previousSecretExpiresAt" = now() + ${overlapMs} * interval '1 millisecond',
           "updatedAt" = now()
     WHERE "id" = ${endpointId}::uuid AND "storeId" = ${storeId}
    RETURNING *`;
  const endpoint = rows[0];
  return endpoint ? { endpoint: toSummary(endpoint), secret } : null;
}

/**
 * Disables an endpoint (nothing more is queued or sent to it) or enables it again: its failure
 * count starts over and the deliveries still pending go out at once.
 */
export async function setWebhookEndpointEnabled({
  storeId,
  endpointId,
  enabled,
}: {
  storeId: number;
  endpointId: string;
  enabled: boolean;
}): Promise<WebhookEndpointSummary | null> {
  if (!isUuid(endpointId)) return null;
  return db.prisma.$transaction(async (tx) => {
    const { count } = await tx.webhookEndpoint.updateMany({
      where: { id: endpointId, storeId },
      data: enabled
        ? { disabledAt: null, disabledReason: null, consecutiveFailures: 0 }
        : { disabledAt: new Date(), disabledReason: "Disabled by the store." },
    });
    if (count === 0) return null;
    if (enabled) {
      await tx.webhookDelivery.updateMany({
        where: { endpointId, status: "pending" },
        data: { nextAttemptAt: new Date() },
      });
    }
    return toSummary(await tx.webhookEndpoint.findFirstOrThrow({ where: { id: endpointId } }));
  });
}

/** Deletes an endpoint and its delivery log. */
export async function deleteWebhookEndpoint({
  storeId,
  endpointId,
}: {
  storeId: number;
  endpointId: string;
}): Promise<boolean> {
  if (!isUuid(endpointId)) return false;
  const { count } = await db.prisma.webhookEndpoint.deleteMany({
    where: { id: endpointId, storeId },
  });
  return count > 0;
}

/** Enabled endpoints subscribed to referral.clicked: the worker's click feeds. */
export async function listClickFeedEndpoints(): Promise<Array<{ id: string }>> {
  return db.prisma.webhookEndpoint.findMany({
    where: { disabledAt: null, events: { has: "referral.clicked" } },
    select: { id: true },
  });
}
