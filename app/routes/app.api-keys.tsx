// Admin → API keys: the store's Integration API keys. Create one (its full value is shown once),
// see when each was last used, revoke one. Everything is scoped to the session's shop.
import { useEffect, useState } from "react";

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  ChoiceList,
  EmptyState,
  FormLayout,
  IndexTable,
  InlineStack,
  Layout,
  Modal,
  Page,
  Text,
  TextField,
  useBreakpoints,
} from "@shopify/polaris";

import { formatDateTime, useDateFormat } from "~/components/dates";
import { FORM_MAX_BYTES, readForm } from "~/lib/infra/request-body.server";
import { requireStoreAdmin } from "~/lib/shopify/admin-context.server";
import {
  createApiKey,
  listApiKeys,
  revokeApiKey,
  type ApiKeySummary,
} from "~/models/api-key.server";
import { API_KEY_NAME_MAX } from "~/schemas/api-key-constants";
import { ApiKeyForm, apiKeyFormValues } from "~/schemas/api-key-form.server";

export const meta: MetaFunction = () => [{ title: "Integration API" }];

type FieldErrors = Partial<Record<"intent" | "name" | "scopes" | "apiKeyId", string>>;

function serializeKey(apiKey: ApiKeySummary) {
  return {
    id: apiKey.id,
    name: apiKey.name,
    prefix: apiKey.prefix,
    scopes: apiKey.scopes,
    createdAt: apiKey.createdAt.toISOString(),
    lastUsedAt: apiKey.lastUsedAt?.toISOString() ?? null,
    revokedAt: apiKey.revokedAt?.toISOString() ?? null,
  };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { store } = await requireStoreAdmin(request);
  const apiKeys = await listApiKeys({ storeId: store.id });
  return json({ apiKeys: apiKeys.map(serializeKey) });
}

export async function action({ request }: ActionFunctionArgs) {
  const { store } = await requireStoreAdmin(request);
  const parsed = ApiKeyForm.safeParse(apiKeyFormValues(await readForm(request, FORM_MAX_BYTES)));
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "intent") as keyof FieldErrors;
      errors[field] ??= issue.message;
    }
    return json({ ok: false as const, errors }, { status: 400 });
  }
  if (parsed.data.intent === "create") {
    const { key, apiKey } = await createApiKey({
      storeId: store.id,
      name: parsed.data.name,
      scopes: parsed.data.scopes,
    });
    // The only response that ever carries the full key: never cached.
    return json(
      { ok: true as const, intent: "create" as const, key, apiKey: serializeKey(apiKey) },
      { headers: { "cache-control": "no-store" } },
    );
  }
  const revoked = await revokeApiKey({ storeId: store.id, apiKeyId: parsed.data.apiKeyId });
  if (!revoked) {
    return json(
      {
        ok: false as const,
        errors: { apiKeyId: "This key does not exist or is already revoked." } as FieldErrors,
      },
      { status: 404 },
    );
  }
  return json({ ok: true as const, intent: "revoke" as const });
}

type KeyRow = ReturnType<typeof serializeKey>;

const SCOPE_CHOICES = [
  { label: "read", value: "read", helpText: "Analytics summary, time series and referral events." },
  { label: "write", value: "write", helpText: "Mark referred users active (activation)." },
];

export default function ApiKeysPage() {
  const { apiKeys } = useLoaderData<typeof loader>();
  const dates = useDateFormat();
  const formatTime = (iso: string | null) => (iso ? formatDateTime(iso, dates) : "Never");
  const createFetcher = useFetcher<typeof action>({ key: "create-api-key" });
  const revokeFetcher = useFetcher<typeof action>({ key: "revoke-api-key" });
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<string[]>(["read"]);
  const [revoking, setRevoking] = useState<KeyRow | null>(null);
  // At a phone's width each key is one stacked row (see the referral events page).
  const { smDown: condensed } = useBreakpoints();
  const [copied, setCopied] = useState(false);
  const [dismissedKeyId, setDismissedKeyId] = useState<string | null>(null);

  const created =
    createFetcher.data?.ok &&
    createFetcher.data.intent === "create" &&
    createFetcher.data.apiKey.id !== dismissedKeyId
      ? createFetcher.data
      : null;
  const createErrors =
    createFetcher.data && !createFetcher.data.ok ? createFetcher.data.errors : {};
  const revokeErrors =
    revokeFetcher.data && !revokeFetcher.data.ok ? revokeFetcher.data.errors : {};

  useEffect(() => {
    if (created) {
      setName("");
      setCopied(false);
    }
  }, [created]);

  useEffect(() => {
    if (revokeFetcher.state === "idle" && revokeFetcher.data?.ok) setRevoking(null);
  }, [revokeFetcher.state, revokeFetcher.data]);

  const createKey = () =>
    createFetcher.submit({ intent: "create", name, scopes: scopes.join(",") }, { method: "post" });

  const copyKey = async (key: string) => {
    await navigator.clipboard.writeText(key);
    setCopied(true);
  };

  return (
    <Page
      title="Integration API"
      subtitle="API keys let your other systems read this store's referral figures through the Integration API."
      backAction={{ content: "Settings", url: "/app/settings" }}
    >
      <Layout>
        {created ? (
          <Layout.Section>
            <Banner
              title={`Copy the key “${created.apiKey.name}” now`}
              tone="warning"
              onDismiss={() => setDismissedKeyId(created.apiKey.id)}
            >
              <BlockStack gap="200">
                <Text as="p">
                  This is the only time the full key is shown. Store it somewhere safe: it will not
                  be shown again. If it is lost, revoke it and create a new one.
                </Text>
                <InlineStack gap="200" blockAlign="center" wrap={false}>
                  <div style={{ flexGrow: 1 }}>
                    <TextField
                      label="API key"
                      labelHidden
                      value={created.key}
                      readOnly
                      autoComplete="off"
                      monospaced
                      selectTextOnFocus
                    />
                  </div>
                  <Button onClick={() => void copyKey(created.key)}>
                    {copied ? "Copied" : "Copy"}
                  </Button>
                </InlineStack>
              </BlockStack>
            </Banner>
          </Layout.Section>
        ) : null}

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Create a key
              </Text>
              <FormLayout>
                <TextField
                  label="Name"
                  value={name}
                  onChange={setName}
                  maxLength={API_KEY_NAME_MAX}
                  autoComplete="off"
                  helpText="What will use the key, e.g. “Warehouse dashboard”."
                  error={createErrors.name}
                />
                <ChoiceList
                  title="Scopes"
                  allowMultiple
                  choices={SCOPE_CHOICES}
                  selected={scopes}
                  onChange={setScopes}
                  error={createErrors.scopes}
                />
                <Button
                  variant="primary"
                  onClick={createKey}
                  loading={createFetcher.state !== "idle"}
                >
                  Create key
                </Button>
              </FormLayout>
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <Card padding="0">
            {apiKeys.length === 0 ? (
              <EmptyState heading="No API keys yet" image="">
                <p>Create a key above to use the Integration API.</p>
              </EmptyState>
            ) : (
              <IndexTable
                resourceName={{ singular: "API key", plural: "API keys" }}
                itemCount={apiKeys.length}
                selectable={false}
                condensed={condensed}
                headings={[
                  { title: "Name" },
                  { title: "Key" },
                  { title: "Scopes" },
                  { title: "Created" },
                  { title: "Last used" },
                  { title: "Status" },
                  { title: "" },
                ]}
              >
                {apiKeys.map((apiKey, index) => {
                  const name = (
                    <Text as="span" fontWeight="semibold">
                      {apiKey.name}
                    </Text>
                  );
                  const prefix = (
                    <Text as="span" tone="subdued">
                      <code>{`${apiKey.prefix}…`}</code>
                    </Text>
                  );
                  const scopeBadges = (
                    <InlineStack gap="100">
                      {apiKey.scopes.map((scope) => (
                        <Badge key={scope}>{scope}</Badge>
                      ))}
                    </InlineStack>
                  );
                  const status = apiKey.revokedAt ? (
                    <Badge tone="critical">{`Revoked ${formatTime(apiKey.revokedAt)}`}</Badge>
                  ) : (
                    <Badge tone="success">Active</Badge>
                  );
                  const revoke = apiKey.revokedAt ? null : (
                    <Button tone="critical" variant="plain" onClick={() => setRevoking(apiKey)}>
                      Revoke
                    </Button>
                  );
                  return (
                    <IndexTable.Row id={apiKey.id} key={apiKey.id} position={index}>
                      {condensed ? (
                        // One stacked row at a phone's width: the status and Revoke stay on screen.
                        <IndexTable.Cell>
                          {/* Table cells do not wrap; a stacked row must, to stay on screen. */}
                          <div style={{ whiteSpace: "normal" }}>
                            <BlockStack gap="100">
                              <InlineStack align="space-between" blockAlign="center" gap="200">
                                {name}
                                {status}
                              </InlineStack>
                              <InlineStack gap="200" blockAlign="center">
                                {prefix}
                                {scopeBadges}
                              </InlineStack>
                              <Text as="span" tone="subdued">
                                {`Created ${formatTime(apiKey.createdAt)} · last used ${formatTime(apiKey.lastUsedAt)}`}
                              </Text>
                              {revoke}
                            </BlockStack>
                          </div>
                        </IndexTable.Cell>
                      ) : (
                        <>
                          <IndexTable.Cell>{name}</IndexTable.Cell>
                          <IndexTable.Cell>{prefix}</IndexTable.Cell>
                          <IndexTable.Cell>{scopeBadges}</IndexTable.Cell>
                          <IndexTable.Cell>{formatTime(apiKey.createdAt)}</IndexTable.Cell>
                          <IndexTable.Cell>{formatTime(apiKey.lastUsedAt)}</IndexTable.Cell>
                          <IndexTable.Cell>{status}</IndexTable.Cell>
                          <IndexTable.Cell>{revoke}</IndexTable.Cell>
                        </>
                      )}
                    </IndexTable.Row>
                  );
                })}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>

        <Layout.Section>
          <Text as="p" tone="subdued">
            Send a key as <code>Authorization: Bearer &lt;key&gt;</code>. The reference of every
            endpoint is at <code>/api/v1/openapi.json</code>.
          </Text>
        </Layout.Section>
      </Layout>

      <Modal
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke “${revoking?.name ?? ""}”?`}
        primaryAction={{
          content: "Revoke key",
          destructive: true,
          loading: revokeFetcher.state !== "idle",
          onAction: () =>
            revoking &&
            revokeFetcher.submit({ intent: "revoke", apiKeyId: revoking.id }, { method: "post" }),
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setRevoking(null) }]}
      >
        <Modal.Section>
          <BlockStack gap="200">
            <Text as="p">
              Systems using <code>{`${revoking?.prefix ?? ""}…`}</code> stop working at once. This
              cannot be undone.
            </Text>
            {revokeErrors.apiKeyId ? (
              <Text as="p" tone="critical">
                {revokeErrors.apiKeyId}
              </Text>
            ) : null}
          </BlockStack>
        </Modal.Section>
      </Modal>
    </Page>
  );
}
