// Referral events: an IndexTable of every event of the store, newest first, with keyset
// pagination, filters (status, date range, channel, sign-up quality; URL search params validated
// with zod), the referred user anonymized, and a CSV export of the same filtered rows. A sign-up
// a quality check flagged shows a plain-language category and its review state, never the rule.
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  IndexTable,
  InlineStack,
  Page,
  Pagination,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";

import { DownloadButton } from "~/components/DownloadButton";
import {
  FLAG_CATEGORY_LABELS,
  REFERRAL_CHANNEL_LABELS,
  REFERRAL_REVIEW_LABELS,
  REFERRAL_STATUS_LABELS,
} from "~/components/labels";
import { flagCategoriesOf, type FlagCategory } from "~/lib/signup/checks/reasons";
import { errorBody } from "~/lib/infra/http-errors.server";
import { requireStoreAdmin } from "~/lib/shopify/admin-context.server";
import {
  getReferralPageForStore,
  InvalidCursorError,
  type ReferralEvent,
} from "~/models/referral-listing.server";
import {
  filterSearchParams,
  parseReferralListQuery,
  toReferralFilters,
} from "~/schemas/referral-filters.server";

export const meta: MetaFunction = () => [{ title: "Referral events" }];

const PAGE_SIZE = 50;

/** An event as the store's admin sees it: a flag's categories, not the checks' reason codes. */
type AdminReferralEvent = Omit<ReferralEvent, "flagReasons"> & { flagCategories: FlagCategory[] };

function toAdminEvent({ flagReasons, ...event }: ReferralEvent): AdminReferralEvent {
  return { ...event, flagCategories: flagCategoriesOf(flagReasons) };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { store } = await requireStoreAdmin(request);
  const exportFilename = `${store.slug}-referrals.csv`;
  // A bad filter or cursor is a 400 that still renders the page (its filters and the error in a
  // banner), in the app's one error shape, rather than the error boundary in its place.
  const invalid = (code: string, message: string) =>
    json(
      {
        ...errorBody(code, message),
        events: [] as AdminReferralEvent[],
        nextCursor: null,
        previousCursor: null,
        filters: "",
        exportUrl: "/app/referrals.csv",
        exportFilename,
      },
      { status: 400 },
    );
  const { query, error } = parseReferralListQuery(new URL(request.url).searchParams);
  if (!query) return invalid("invalid_request", error);
  try {
    const page = await getReferralPageForStore({
      storeId: store.id,
      limit: PAGE_SIZE,
      after: query.after,
      before: query.before,
      filters: toReferralFilters(query),
    });
    const filters = filterSearchParams(query).toString();
    return {
      events: page.items.map(toAdminEvent),
      nextCursor: page.nextCursor,
      previousCursor: page.previousCursor,
      filters,
      exportUrl: `/app/referrals.csv${filters ? `?${filters}` : ""}`,
      exportFilename,
      error: null,
    };
  } catch (thrown) {
    if (thrown instanceof InvalidCursorError) return invalid("invalid_cursor", thrown.message);
    throw thrown;
  }
}

const dateTime = new Intl.DateTimeFormat("en-US", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

const STATUS_TONES = { clicked: undefined, signed_up: "info", active: "success" } as const;
const REVIEW_TONES = { flagged: "warning", approved: "success", rejected: "critical" } as const;

/** The sign-up quality cell: the flag's category and review state; a paid-ad click as a signal. */
function QualityCell({
  event,
}: {
  event: Pick<AdminReferralEvent, "flagCategories" | "review" | "adClickIds">;
}) {
  const categories = event.flagCategories;
  if (!event.review && event.adClickIds.length === 0) return <>—</>;
  return (
    <InlineStack gap="100" wrap>
      {event.review ? (
        <Badge tone={REVIEW_TONES[event.review]}>
          {`${categories.map((category) => FLAG_CATEGORY_LABELS[category]).join(", ") || "Flagged"} · ${REFERRAL_REVIEW_LABELS[event.review]}`}
        </Badge>
      ) : null}
      {event.adClickIds.length > 0 ? <Badge>From a paid ad</Badge> : null}
    </InlineStack>
  );
}

export default function ReferralEvents() {
  const { events, nextCursor, previousCursor, filters, exportUrl, exportFilename, error } =
    useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const [status, setStatus] = useState(searchParams.get("status") ?? "");
  const [channel, setChannel] = useState(searchParams.get("channel") ?? "");
  const [flag, setFlag] = useState(searchParams.get("flag") ?? "");
  const [from, setFrom] = useState(searchParams.get("from") ?? "");
  const [to, setTo] = useState(searchParams.get("to") ?? "");

  const pageUrl = (cursor: { after?: string; before?: string }) => {
    const params = new URLSearchParams(filters);
    if (cursor.after) params.set("after", cursor.after);
    if (cursor.before) params.set("before", cursor.before);
    return `/app/referrals?${params.toString()}`;
  };

  return (
    <Page
      title="Referral events"
      subtitle="Every click on your links and what became of it. Referred users are anonymized."
      fullWidth
    >
      <BlockStack gap="400">
        {error ? (
          <Banner tone="critical" title="These filters cannot be applied">
            <p>{error.message}</p>
          </Banner>
        ) : null}
        <Card>
          <Form method="get">
            <InlineStack gap="300" blockAlign="end" wrap>
              <Select
                label="Status"
                name="status"
                value={status}
                onChange={setStatus}
                options={[
                  { label: "Any status", value: "" },
                  ...Object.entries(REFERRAL_STATUS_LABELS).map(([value, label]) => ({
                    value,
                    label,
                  })),
                ]}
              />
              <Select
                label="Channel"
                name="channel"
                value={channel}
                onChange={setChannel}
                options={[
                  { label: "Any channel", value: "" },
                  ...Object.entries(REFERRAL_CHANNEL_LABELS).map(([value, label]) => ({
                    value,
                    label,
                  })),
                ]}
              />
              <Select
                label="Sign-up quality"
                name="flag"
                value={flag}
                onChange={setFlag}
                options={[
                  { label: "Any", value: "" },
                  { label: "Flagged (any reason)", value: "flagged" },
                  ...Object.entries(FLAG_CATEGORY_LABELS).map(([value, label]) => ({
                    value,
                    label,
                  })),
                ]}
              />
              <TextField
                label="From (UTC)"
                type="date"
                name="from"
                value={from}
                onChange={setFrom}
                autoComplete="off"
              />
              <TextField
                label="To (UTC)"
                type="date"
                name="to"
                value={to}
                onChange={setTo}
                autoComplete="off"
              />
              <Button submit variant="primary">
                Apply filters
              </Button>
              <Button url="/app/referrals">Clear</Button>
              <DownloadButton url={exportUrl} filename={exportFilename}>
                Export CSV
              </DownloadButton>
            </InlineStack>
          </Form>
        </Card>
        <Card padding="0">
          <IndexTable
            resourceName={{ singular: "referral event", plural: "referral events" }}
            itemCount={events.length}
            selectable={false}
            emptyState={
              <BlockStack gap="200" inlineAlign="center">
                <Text as="p" variant="headingSm">
                  No referral events {filters || error ? "match these filters" : "yet"}
                </Text>
                <Text as="p" tone="subdued">
                  Clicks on your link, QR code and storefront block appear here.
                </Text>
              </BlockStack>
            }
            headings={[
              { title: "Date (UTC)" },
              { title: "Status" },
              { title: "Channel" },
              { title: "Referred user" },
              { title: "Source" },
              { title: "Campaign" },
              { title: "Quality" },
            ]}
          >
            {events.map((event, index) => (
              <IndexTable.Row id={event.id} key={event.id} position={index}>
                <IndexTable.Cell>{dateTime.format(new Date(event.createdAt))}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={STATUS_TONES[event.status]}>
                    {REFERRAL_STATUS_LABELS[event.status]}
                  </Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>{REFERRAL_CHANNEL_LABELS[event.channel]}</IndexTable.Cell>
                <IndexTable.Cell>{event.referredUser ?? "—"}</IndexTable.Cell>
                <IndexTable.Cell>{event.utmParams?.utm_source ?? "—"}</IndexTable.Cell>
                <IndexTable.Cell>{event.utmParams?.utm_campaign ?? "—"}</IndexTable.Cell>
                <IndexTable.Cell>
                  <QualityCell event={event} />
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
          <div style={{ display: "flex", justifyContent: "center", padding: "12px" }}>
            <Pagination
              hasPrevious={previousCursor !== null}
              onPrevious={() => previousCursor && navigate(pageUrl({ before: previousCursor }))}
              hasNext={nextCursor !== null}
              onNext={() => nextCursor && navigate(pageUrl({ after: nextCursor }))}
            />
          </div>
        </Card>
      </BlockStack>
    </Page>
  );
}
