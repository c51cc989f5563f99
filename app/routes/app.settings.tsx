// Settings: the store's name and category, a link builder with UTM presets per channel, the
// store's status, the storefront block's link, and the Integration API.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useMemo, useState } from "react";
import { z } from "zod";

import { TimeZoneLine } from "~/components/TimeZoneNotice";
import { STORE_CATEGORY_LABELS, STORE_STATUS_LABELS } from "~/components/labels";
import { getEnv } from "~/env.server";
import { badRequest } from "~/lib/infra/http-errors.server";
import { FORM_MAX_BYTES, readForm } from "~/lib/infra/request-body.server";
import { requireStoreAdmin } from "~/lib/shopify/admin-context.server";
import { logger } from "~/lib/infra/logger.server";
import { buildPresetLink, LINK_PRESETS, storefrontReferralLink } from "~/lib/referral-links/links";
import { publishStorefrontLink } from "~/lib/shopify/registration.server";
import { readPublishedReferralLink } from "~/lib/shopify/admin-graphql.server";
import { updateStoreSettings } from "~/models/store.server";
import { safeText } from "~/schemas/primitives";

export const meta: MetaFunction = () => [{ title: "Settings" }];

const CATEGORIES = Object.keys(STORE_CATEGORY_LABELS) as [
  keyof typeof STORE_CATEGORY_LABELS,
  ...Array<keyof typeof STORE_CATEGORY_LABELS>,
];

type StorefrontBlockStatus = "published" | "outdated" | "missing" | "unknown";

export async function loader({ request }: LoaderFunctionArgs) {
  const { admin, store } = await requireStoreAdmin(request);
  const env = getEnv();
  const expectedLink = storefrontReferralLink(env.SHOPIFY_APP_URL, store.referralCode);
  let storefrontBlock: StorefrontBlockStatus = "unknown";
  try {
    const { referralLink } = await readPublishedReferralLink(admin.graphql);
    storefrontBlock =
      referralLink === null ? "missing" : referralLink === expectedLink ? "published" : "outdated";
  } catch (error) {
    logger.warn("settings.storefront_link_read_failed", {
      shopDomain: store.shopDomain,
      error: error instanceof Response ? `Admin API answered ${error.status}` : error,
    });
  }
  return {
    store: {
      name: store.name,
      category: store.category,
      status: store.status,
      statusReason: store.statusReason,
      referralCode: store.referralCode,
    },
    siteUrl: env.PUBLIC_SITE_URL,
    storefrontLink: expectedLink,
    storefrontBlock,
  };
}

const settingsAction = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("update_store"),
    name: safeText()
      .trim()
      .min(1, "Enter the store's name.")
      .max(100, "Use 100 characters at most."),
    category: z.enum(CATEGORIES, { message: "Choose a category." }),
  }),
  z.object({ intent: z.literal("publish_storefront_link") }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const { admin, session, store } = await requireStoreAdmin(request);
  const form = settingsAction.safeParse(
    Object.fromEntries(await readForm(request, FORM_MAX_BYTES)),
  );
  if (!form.success) {
    const fieldErrors = Object.fromEntries(
      form.error.issues.map((issue) => [String(issue.path[0] ?? "form"), issue.message]),
    );
    if (!("name" in fieldErrors) && !("category" in fieldErrors))
      throw badRequest("Unknown action.");
    return Response.json({ ok: false as const, fieldErrors }, { status: 400 });
  }
  if (form.data.intent === "update_store") {
    await updateStoreSettings({
      shopDomain: session.shop,
      name: form.data.name,
      category: form.data.category,
    });
    return { ok: true as const, message: "Store settings saved" };
  }
  let published = false;
  try {
    const { appInstallationId } = await readPublishedReferralLink(admin.graphql);
    published = await publishStorefrontLink({
      shopDomain: session.shop,
      graphql: admin.graphql,
      appInstallationId,
      referralCode: store.referralCode,
    });
  } catch (error) {
    logger.warn("settings.storefront_link_read_failed", { shopDomain: session.shop, error });
  }
  return published
    ? { ok: true as const, message: "Storefront block updated" }
    : Response.json(
        {
          ok: false as const,
          formError: "Shopify did not accept the update. Try again in a minute.",
        },
        { status: 502 },
      );
}

type ActionResult =
  | { ok: true; message: string }
  | { ok: false; fieldErrors?: Record<string, string>; formError?: string };

const STOREFRONT_BLOCK_TEXT: Record<
  StorefrontBlockStatus,
  { tone?: "success" | "warning" | "critical"; label: string; help: string }
> = {
  published: {
    tone: "success",
    label: "Connected",
    help: "The block shows your link. Add or move it in your theme editor (Apps section).",
  },
  outdated: {
    tone: "warning",
    label: "Outdated",
    help: "The block shows an older link. Update it so storefront clicks are counted.",
  },
  missing: {
    tone: "critical",
    label: "Not set up",
    help: "The block has no link yet and shows nothing to shoppers. Publish your link to it.",
  },
  unknown: {
    label: "Unknown",
    help: "Shopify could not be reached to check the block. Reload the page to try again.",
  },
};

export default function Settings() {
  const { store, siteUrl, storefrontLink, storefrontBlock } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const submit = useSubmit();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const [name, setName] = useState(store.name);
  const [category, setCategory] = useState<string>(store.category);
  const [presetId, setPresetId] = useState<string>(LINK_PRESETS[0]!.id);
  const [campaign, setCampaign] = useState("");

  const preset = LINK_PRESETS.find((candidate) => candidate.id === presetId) ?? LINK_PRESETS[0]!;
  const builtLink = useMemo(
    () => buildPresetLink(siteUrl, store.referralCode, preset, campaign),
    [siteUrl, store.referralCode, preset, campaign],
  );
  const saving = navigation.state === "submitting";
  const blockText = STOREFRONT_BLOCK_TEXT[storefrontBlock];

  useEffect(() => {
    if (result?.ok) shopify.toast.show(result.message);
    else if (result?.formError) shopify.toast.show(result.formError, { isError: true });
  }, [result, shopify]);

  async function copyBuiltLink() {
    try {
      await navigator.clipboard.writeText(builtLink);
      shopify.toast.show("Link copied");
    } catch {
      shopify.toast.show("Could not copy: select the link and copy it", { isError: true });
    }
  }

  return (
    <Page title="Settings">
      <Layout>
        <Layout.AnnotatedSection
          title="Store"
          description="How your store appears to Syntropy Health and in your reports."
        >
          <Card>
            <FormLayout>
              <TextField
                label="Store name"
                value={name}
                onChange={setName}
                autoComplete="organization"
                error={result && !result.ok ? result.fieldErrors?.name : undefined}
              />
              <Select
                label="Category"
                value={category}
                onChange={setCategory}
                options={CATEGORIES.map((value) => ({
                  value,
                  label: STORE_CATEGORY_LABELS[value],
                }))}
                error={result && !result.ok ? result.fieldErrors?.category : undefined}
              />
              <TimeZoneLine />
              <InlineStack gap="200" blockAlign="center">
                <Text as="span">Status:</Text>
                <Badge tone={store.status === "active" ? "success" : "critical"}>
                  {STORE_STATUS_LABELS[store.status]}
                </Badge>
                {store.statusReason ? (
                  <Text as="span" tone="subdued">
                    {store.statusReason}
                  </Text>
                ) : null}
              </InlineStack>
              <Button
                variant="primary"
                loading={saving}
                onClick={() =>
                  submit({ intent: "update_store", name, category }, { method: "post" })
                }
              >
                Save
              </Button>
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          title="Link builder"
          description="A link per place you share it, tagged with UTM parameters so you can compare them on the Performance page (by source, medium and campaign)."
        >
          <Card>
            <FormLayout>
              <Select
                label="Where will you share it?"
                value={presetId}
                onChange={setPresetId}
                options={LINK_PRESETS.map((candidate) => ({
                  value: candidate.id,
                  label: candidate.label,
                }))}
                helpText={preset.helpText}
              />
              <TextField
                label="Campaign (optional)"
                value={campaign}
                onChange={setCampaign}
                placeholder="spring-2026"
                autoComplete="off"
              />
              {/* Wrapped, never cut off: the campaign is at the end of the link. */}
              <TextField
                label="Your link"
                value={builtLink}
                readOnly
                multiline
                autoComplete="off"
              />
              <Button onClick={copyBuiltLink}>Copy link</Button>
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          title="Storefront block"
          description='The "Join with our referral link" block for your online store. It links to your storefront link and uses no JavaScript.'
        >
          <Card>
            <BlockStack gap="300">
              <InlineStack gap="200" blockAlign="center">
                <Text as="span">Block link:</Text>
                <Badge tone={blockText.tone}>{blockText.label}</Badge>
              </InlineStack>
              <Text as="p" tone="subdued">
                {blockText.help}
              </Text>
              <Text as="p" breakWord>
                {storefrontLink}
              </Text>
              {storefrontBlock !== "published" ? (
                <InlineStack>
                  <Button
                    loading={saving}
                    onClick={() =>
                      submit({ intent: "publish_storefront_link" }, { method: "post" })
                    }
                  >
                    Publish link to the block
                  </Button>
                </InlineStack>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          title="Integration API"
          description="Read your referral figures from your own systems."
        >
          <Card>
            <BlockStack gap="300">
              <Text as="p">
                The Integration API gives your reporting tools, e-mail software or POS the same
                figures as this app: the stats summary, daily time series and referral events
                (anonymized), as JSON under{" "}
                <Text as="span" fontWeight="semibold">
                  /api/v1
                </Text>
                . Each request is authenticated with an API key of this store, sent as{" "}
                <Text as="span" fontWeight="semibold">
                  Authorization: Bearer
                </Text>
                .
              </Text>
              <InlineStack>
                <Button url="/app/api-keys">Manage API keys</Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}
