// Admin → Webhooks: the store's outbound webhook endpoints (docs/decisions/0020). Add one (its
// secret is shown once), rotate its secret, send a test event, disable or enable it, delete it;
// and the delivery log (event, attempts, status code, latency, next retry), page by page, with
// a resend. Everything is scoped to the session's shop.
import { useEffect, useState } from "react";

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  ButtonGroup,
  Card,
  ChoiceList,
  EmptyState,
  FormLayout,
  IndexTable,
  InlineStack,
  Layout,
  Page,
  Pagination,
  Text,
  TextField,
} from "@shopify/polaris";

import { formatDateTime, useDateFormat, type DateFormatSettings } from "~/components/dates";
import { getEnv } from "~/env.server";
import { badRequest } from "~/lib/infra/http-errors.server";
import { FORM_MAX_BYTES, readForm } from "~/lib/infra/request-body.server";
import { requireStoreAdmin } from "~/lib/shopify/admin-context.server";
import { addressPolicyOf, checkEndpointUrl } from "~/lib/webhooks/outbound/address-policy.server";
import {
  enqueueTestEvent,
  listDeliveriesForStore,
  resendDelivery,
  type DeliveryLogEntry,
} from "~/models/webhook-delivery.server";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookEndpoints,
  rotateWebhookEndpointSecret,
  setWebhookEndpointEnabled,
  TooManyWebhookEndpointsError,
  type WebhookEndpointSummary,
} from "~/models/webhook-endpoint.server";
import {
  decodeDeliveryCursor,
  encodeDeliveryCursor,
  WebhookEndpointForm,
  webhookFormValues,
} from "~/schemas/webhook-endpoint-form.server";
import {
  DEFAULT_WEBHOOK_EVENT_TYPES,
  WEBHOOK_EVENT_DESCRIPTIONS,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_URL_MAX,
} from "~/schemas/webhook-event-types";

export const meta: MetaFunction = () => [{ title: "Webhooks" }];

type FieldErrors = Partial<
  Record<"intent" | "url" | "events" | "endpointId" | "deliveryId", string>
>;

function serializeEndpoint(endpoint: WebhookEndpointSummary) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    previousSecretExpiresAt: endpoint.previousSecretExpiresAt?.toISOString() ?? null,
    consecutiveFailures: endpoint.consecutiveFailures,
    disabledAt: endpoint.disabledAt?.toISOString() ?? null,
    disabledReason: endpoint.disabledReason,
    createdAt: endpoint.createdAt.toISOString(),
  };
}

function serializeDelivery(entry: DeliveryLogEntry) {
  return {
    id: entry.id,
    url: entry.url,
    type: entry.type,
    status: entry.status,
    attempts: entry.attempts,
    lastStatusCode: entry.lastStatusCode,
    lastLatencyMs: entry.lastLatencyMs,
    lastError: entry.lastError,
    nextAttemptAt: entry.nextAttemptAt?.toISOString() ?? null,
    createdAt: entry.createdAt.toISOString(),
  };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { store } = await requireStoreAdmin(request);
  const cursor = new URL(request.url).searchParams.get("before");
  const before = cursor === null ? undefined : decodeDeliveryCursor(cursor);
  if (before === null) throw badRequest("`before` is not a page of this log.");
  const [endpoints, log] = await Promise.all([
    listWebhookEndpoints({ storeId: store.id }),
    listDeliveriesForStore({ storeId: store.id, before }),
  ]);
  const last = log.entries[log.entries.length - 1];
  return json({
    endpoints: endpoints.map(serializeEndpoint),
    deliveries: log.entries.map(serializeDelivery),
    nextPage: log.hasMore && last ? encodeDeliveryCursor(last) : null,
    firstPage: before === undefined,
  });
}

function failure(errors: FieldErrors, status = 400) {
  return json({ ok: false as const, errors }, { status });
}

const NOT_FOUND: FieldErrors = { endpointId: "This endpoint does not exist." };

export async function action({ request }: ActionFunctionArgs) {
  const { store } = await requireStoreAdmin(request);
  const parsed = WebhookEndpointForm.safeParse(
    webhookFormValues(await readForm(request, FORM_MAX_BYTES)),
  );
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "intent") as keyof FieldErrors;
      errors[field] ??= issue.message;
    }
    return failure(errors);
  }
  const input = parsed.data;
  const storeId = store.id;
  const env = getEnv();
  switch (input.intent) {
    case "create": {
      const checked = checkEndpointUrl(input.url, addressPolicyOf(env));
      if (!checked.ok) return failure({ url: `The URL ${checked.problem}.` });
      try {
        const { endpoint, secret } = await createWebhookEndpoint({
          storeId,
          url: checked.url,
          events: input.events,
        });
        // One of the two responses that carry a secret: never cached.
        return json(
          {
            ok: true as const,
            intent: input.intent,
            secret,
            endpoint: serializeEndpoint(endpoint),
          },
          { headers: { "cache-control": "no-store" } },
        );
      } catch (error) {
        if (error instanceof TooManyWebhookEndpointsError) return failure({ url: error.message });
        throw error;
      }
    }
    case "rotate": {
      const rotated = await rotateWebhookEndpointSecret({
        storeId,
        endpointId: input.endpointId,
        overlapMs: env.WEBHOOK_SECRET_OVERLAP_HOURS * 3_600_000,
      });
      if (!rotated) return failure(NOT_FOUND, 404);
      return json(
        {
          ok: true as const,
          intent: input.intent,
          secret: rotated.secret,
          endpoint: serializeEndpoint(rotated.endpoint),
        },
        { headers: { "cache-control": "no-store" } },
      );
    }
    case "test": {
      const queued = await enqueueTestEvent({ storeId, endpointId: input.endpointId });
      if (!queued) return failure(NOT_FOUND, 404);
      return json({ ok: true as const, intent: input.intent });
    }
    case "disable":
    case "enable": {
      const endpoint = await setWebhookEndpointEnabled({
        storeId,
        endpointId: input.endpointId,
        enabled: input.intent === "enable",
      });
      if (!endpoint) return failure(NOT_FOUND, 404);
      return json({ ok: true as const, intent: input.intent });
    }
    case "delete": {
      if (!(await deleteWebhookEndpoint({ storeId, endpointId: input.endpointId }))) {
        return failure(NOT_FOUND, 404);
      }
      return json({ ok: true as const, intent: input.intent });
    }
    case "resend": {
      const resent = await resendDelivery({ storeId, deliveryId: input.deliveryId });
      if (!resent) return failure({ deliveryId: "This delivery does not exist." }, 404);
      return json({ ok: true as const, intent: input.intent });
    }
  }
}

type EndpointRow = ReturnType<typeof serializeEndpoint>;
type DeliveryRow = ReturnType<typeof serializeDelivery>;

const EVENT_CHOICES = WEBHOOK_EVENT_TYPES.map((type) => ({
  label: type,
  value: type,
  helpText: WEBHOOK_EVENT_DESCRIPTIONS[type],
}));

/** The admin's one date format (the staff member's locale, the store's zone, said). */
function formatTime(iso: string | null, dates: DateFormatSettings) {
  return iso ? formatDateTime(iso, dates) : "—";
}

function deliveryStatus(row: DeliveryRow) {
  if (row.status === "delivered") return <Badge tone="success">Delivered</Badge>;
  if (row.status === "failed") return <Badge tone="critical">Failed</Badge>;
  return <Badge tone="attention">{row.attempts === 0 ? "Queued" : "Retrying"}</Badge>;
}

function EndpointCard({ endpoint }: { endpoint: EndpointRow }) {
  const dates = useDateFormat();
  const fetcher = useFetcher<typeof action>();
  const busy = (intent: string) =>
    fetcher.state !== "idle" && fetcher.formData?.get("intent") === intent;
  const submit = (intent: string) =>
    fetcher.submit({ intent, endpointId: endpoint.id }, { method: "post" });
  const errors = fetcher.data && !fetcher.data.ok ? fetcher.data.errors : {};
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h3" variant="headingSm" breakWord>
            {endpoint.url}
          </Text>
          {endpoint.disabledAt ? (
            <Badge tone="critical">Disabled</Badge>
          ) : (
            <Badge tone="success">Enabled</Badge>
          )}
        </InlineStack>
        <InlineStack gap="100">
          {endpoint.events.map((type) => (
            <Badge key={type}>{type}</Badge>
          ))}
        </InlineStack>
        {endpoint.disabledReason ? (
          <Banner tone="critical" title="Nothing is sent to this endpoint">
            <p>{`${endpoint.disabledReason} Disabled ${formatTime(endpoint.disabledAt, dates)}.`}</p>
          </Banner>
        ) : null}
        {endpoint.previousSecretExpiresAt ? (
          <Text as="p" tone="subdued">
            {`The previous secret signs too until ${formatTime(endpoint.previousSecretExpiresAt, dates)}.`}
          </Text>
        ) : null}
        {fetcher.data?.ok && fetcher.data.intent === "test" ? (
          <Text as="p" tone="success">
            Test event queued: it appears in the delivery log below.
          </Text>
        ) : null}
        {Object.values(errors).map((message) => (
          <Text as="p" tone="critical" key={message}>
            {message}
          </Text>
        ))}
        <ButtonGroup>
          <Button onClick={() => submit("test")} loading={busy("test")}>
            Send test event
          </Button>
          <Button onClick={() => submit("rotate")} loading={busy("rotate")}>
            Rotate secret
          </Button>
          {endpoint.disabledAt ? (
            <Button onClick={() => submit("enable")} loading={busy("enable")}>
              Enable
            </Button>
          ) : (
            <Button onClick={() => submit("disable")} loading={busy("disable")}>
              Disable
            </Button>
          )}
          <Button
            tone="critical"
            variant="plain"
            onClick={() => submit("delete")}
            loading={busy("delete")}
          >
            Delete
          </Button>
        </ButtonGroup>
        <SecretBanner data={fetcher.data} />
      </BlockStack>
    </Card>
  );
}

function SecretBanner({ data }: { data: unknown }) {
  const [dismissed, setDismissed] = useState<string | null>(null);
  const shown =
    data && typeof data === "object" && "secret" in data && typeof data.secret === "string"
      ? data.secret
      : null;
  if (!shown || shown === dismissed) return null;
  return (
    <Banner
      tone="warning"
      title="Copy the signing secret now"
      onDismiss={() => setDismissed(shown)}
    >
      <BlockStack gap="200">
        <Text as="p">
          This is the only time it is shown. Your receiver verifies each delivery with it (any
          Standard Webhooks or Svix library).
        </Text>
        <TextField
          label="Signing secret"
          labelHidden
          value={shown}
          readOnly
          autoComplete="off"
          monospaced
          selectTextOnFocus
        />
      </BlockStack>
    </Banner>
  );
}

function DeliveryLog({
  deliveries,
  nextPage,
  firstPage,
}: {
  deliveries: DeliveryRow[];
  nextPage: string | null;
  firstPage: boolean;
}) {
  const dates = useDateFormat();
  const resend = useFetcher<typeof action>({ key: "resend-delivery" });
  if (deliveries.length === 0) {
    return (
      <EmptyState heading="No deliveries yet" image="">
        <p>Deliveries appear here as events happen, or after “Send test event”.</p>
      </EmptyState>
    );
  }
  return (
    <BlockStack gap="200">
      <IndexTable
        resourceName={{ singular: "delivery", plural: "deliveries" }}
        itemCount={deliveries.length}
        selectable={false}
        headings={[
          { title: "Event" },
          { title: "Endpoint" },
          { title: "Status" },
          { title: "Attempts" },
          { title: "Answer" },
          { title: "Latency" },
          { title: "Next retry" },
          { title: "" },
        ]}
      >
        {deliveries.map((row, index) => (
          <IndexTable.Row id={row.id} key={row.id} position={index}>
            <IndexTable.Cell>
              <BlockStack gap="050">
                <Text as="span" fontWeight="semibold">
                  {row.type}
                </Text>
                <Text as="span" tone="subdued">
                  {formatTime(row.createdAt, dates)}
                </Text>
              </BlockStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" truncate>
                {row.url}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>{deliveryStatus(row)}</IndexTable.Cell>
            <IndexTable.Cell>{row.attempts}</IndexTable.Cell>
            <IndexTable.Cell>
              {row.lastStatusCode !== null ? `HTTP ${row.lastStatusCode}` : (row.lastError ?? "—")}
            </IndexTable.Cell>
            <IndexTable.Cell>
              {row.lastLatencyMs !== null ? `${row.lastLatencyMs} ms` : "—"}
            </IndexTable.Cell>
            <IndexTable.Cell>{formatTime(row.nextAttemptAt, dates)}</IndexTable.Cell>
            <IndexTable.Cell>
              <Button
                variant="plain"
                onClick={() =>
                  resend.submit({ intent: "resend", deliveryId: row.id }, { method: "post" })
                }
                loading={resend.state !== "idle" && resend.formData?.get("deliveryId") === row.id}
              >
                Resend
              </Button>
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
      <InlineStack align="center">
        <Pagination
          hasPrevious={!firstPage}
          previousURL="/app/webhooks"
          previousTooltip="Newest"
          hasNext={nextPage !== null}
          nextURL={nextPage ? `/app/webhooks?before=${nextPage}` : undefined}
        />
      </InlineStack>
    </BlockStack>
  );
}

export default function WebhooksPage() {
  const { endpoints, deliveries, nextPage, firstPage } = useLoaderData<typeof loader>();
  const createFetcher = useFetcher<typeof action>({ key: "create-webhook-endpoint" });
  const navigation = useNavigation();
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<string[]>([...DEFAULT_WEBHOOK_EVENT_TYPES]);
  const createErrors =
    createFetcher.data && !createFetcher.data.ok ? createFetcher.data.errors : {};
  const created = createFetcher.data?.ok ? createFetcher.data : null;

  useEffect(() => {
    if (created) setUrl("");
  }, [created]);

  return (
    <Page
      title="Webhooks"
      subtitle="Send this store's referral events to your own systems as they happen, signed."
    >
      <Layout>
        <Layout.Section>
          <SecretBanner data={createFetcher.data} />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Add an endpoint
              </Text>
              <FormLayout>
                <TextField
                  label="URL"
                  value={url}
                  onChange={setUrl}
                  maxLength={WEBHOOK_URL_MAX}
                  autoComplete="off"
                  placeholder="https://example.com/webhooks/referrals"
                  helpText="An https:// address of yours that answers 2xx within 5 seconds."
                  error={createErrors.url}
                />
                <ChoiceList
                  title="Events"
                  allowMultiple
                  choices={EVENT_CHOICES}
                  selected={events}
                  onChange={setEvents}
                  error={createErrors.events}
                />
                <Button
                  variant="primary"
                  loading={createFetcher.state !== "idle"}
                  onClick={() =>
                    createFetcher.submit(
                      { intent: "create", url, events: events.join(",") },
                      { method: "post" },
                    )
                  }
                >
                  Add endpoint
                </Button>
              </FormLayout>
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Endpoints
            </Text>
            {endpoints.length === 0 ? (
              <Card>
                <EmptyState heading="No endpoints yet" image="">
                  <p>Add an endpoint above to receive this store’s events.</p>
                </EmptyState>
              </Card>
            ) : (
              endpoints.map((endpoint) => <EndpointCard key={endpoint.id} endpoint={endpoint} />)
            )}
          </BlockStack>
        </Layout.Section>

        <Layout.Section>
          <Card padding="0">
            <BlockStack gap="200">
              <div style={{ padding: "var(--p-space-400) var(--p-space-400) 0" }}>
                <Text as="h2" variant="headingMd">
                  Delivery log
                </Text>
              </div>
              {navigation.state === "loading" ? (
                <div style={{ padding: "var(--p-space-400)" }}>
                  <Text as="p" tone="subdued">
                    Loading…
                  </Text>
                </div>
              ) : (
                <DeliveryLog deliveries={deliveries} nextPage={nextPage} firstPage={firstPage} />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <Text as="p" tone="subdued">
            Each delivery carries <code>webhook-id</code>, <code>webhook-timestamp</code> and{" "}
            <code>webhook-signature</code> (Standard Webhooks). Failed deliveries are retried for 24
            hours; the payloads are described in <code>/api/v1/openapi.json</code>.
          </Text>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
