// Referral events: an IndexTable of every event of the store, newest first, with keyset
// pagination, how many match and where this page is, filters (status reached, channel, sign-up
// quality, click date range; URL search params validated with zod, errors beside their field), the
// referred user anonymized, and a CSV export of the same filtered rows. A sign-up a quality check
// flagged shows a plain-language category and its review state, never the rule.
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigate } from "@remix-run/react";
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
  useBreakpoints,
} from "@shopify/polaris";
import { useState } from "react";

import { formatDateTime, formatTimeZone, useDateFormat } from "~/components/dates";
import { DownloadButton } from "~/components/DownloadButton";
import {
  FLAG_CATEGORY_LABELS,
  REFERRAL_CHANNEL_LABELS,
  REFERRAL_REVIEW_LABELS,
  REFERRAL_STATUS_FILTER_LABELS,
  REFERRAL_STATUS_LABELS,
} from "~/components/labels";
import { errorBody } from "~/lib/infra/http-errors.server";
import { requireStoreAdmin } from "~/lib/shopify/admin-context.server";
import { flagCategoriesOf, type FlagCategory } from "~/lib/signup/checks/reasons";
import {
  countReferralsForStore,
  getReferralPageForStore,
  InvalidCursorError,
  type ReferralEvent,
} from "~/models/referral-listing.server";
import {
  filterSearchParams,
  parseReferralListQuery,
  toReferralFilters,
  type ReferralFilterErrors,
  type ReferralFilterField,
  type ReferralFilterValues,
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
  const parsed = parseReferralListQuery(new URL(request.url).searchParams);
  // A bad filter or cursor is a 400 that still renders the page: the controls keep what was
  // asked and say beside each field what is wrong (the app's one error shape for the rest).
  const invalid = (code: string, message: string, errors: ReferralFilterErrors) =>
    json(
      {
        ...errorBody(code, message),
        fieldErrors: errors,
        values: parsed.values,
        events: [] as AdminReferralEvent[],
        nextCursor: null,
        previousCursor: null,
        total: null,
        offset: 0,
        filters: "",
        exportUrl: null,
        exportFilename,
      },
      { status: 400 },
    );
  if (!parsed.query) {
    const onlyCursor = Object.keys(parsed.errors).length === 0;
    return invalid(onlyCursor ? "invalid_cursor" : "invalid_request", parsed.error, parsed.errors);
  }
  const { query } = parsed;
  const filters = toReferralFilters(query, { timeZone: store.timeZone });
  try {
    const [page, total] = await Promise.all([
      getReferralPageForStore({
        storeId: store.id,
        limit: PAGE_SIZE,
        after: query.after,
        before: query.before,
        filters,
      }),
      countReferralsForStore({ storeId: store.id, filters }),
    ]);
    const first = page.items[0];
    const offset =
      first && (query.after || query.before)
        ? await countReferralsForStore({ storeId: store.id, filters, newerThan: first })
        : 0;
    const search = filterSearchParams(query).toString();
    return {
      events: page.items.map(toAdminEvent),
      nextCursor: page.nextCursor,
      previousCursor: page.previousCursor,
      total,
      offset,
      filters: search,
      values: parsed.values,
      fieldErrors: {} as ReferralFilterErrors,
      exportUrl: `/app/referrals.csv${search ? `?${search}` : ""}`,
      exportFilename,
      error: null,
    };
  } catch (thrown) {
    if (thrown instanceof InvalidCursorError) {
      return invalid("invalid_cursor", thrown.message, {});
    }
    throw thrown;
  }
}

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

const count = new Intl.NumberFormat("en-US");

/**
 * The filter controls, started from what the table shows. When the table shows other values
 * (Clear, Back, a link, an applied filter) the controls take them, without remounting the form,
 * so a keyboard user's focus stays where it was (React's "adjusting state when a prop changes").
 */
function ReferralFilterForm({
  values,
  errors,
  exportUrl,
  exportFilename,
}: {
  values: ReferralFilterValues;
  errors: ReferralFilterErrors;
  exportUrl: string | null;
  exportFilename: string;
}) {
  const zone = formatTimeZone(useDateFormat());
  const [draft, setDraft] = useState(values);
  const [shown, setShown] = useState(values);
  // (The list of fields is in a .server module: the browser has only the values' own keys.)
  if (
    (Object.keys(values) as ReferralFilterField[]).some((field) => shown[field] !== values[field])
  ) {
    setShown(values);
    setDraft(values);
  }
  const { status, channel, flag, from, to } = draft;
  const edit = (field: ReferralFilterField) => (value: string) =>
    setDraft((current) => ({ ...current, [field]: value }));
  return (
    <Form method="get">
      <InlineStack gap="300" blockAlign="start" wrap>
        <Select
          label="Status"
          name="status"
          value={status}
          onChange={edit("status")}
          error={errors.status}
          options={[
            { label: "Any status", value: "" },
            ...Object.entries(REFERRAL_STATUS_FILTER_LABELS).map(([value, label]) => ({
              value,
              label,
            })),
          ]}
        />
        <Select
          label="Channel"
          name="channel"
          value={channel}
          onChange={edit("channel")}
          error={errors.channel}
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
          onChange={edit("flag")}
          error={errors.flag}
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
          label="Clicked from"
          helpText={`Days in ${zone}, both included`}
          type="date"
          name="from"
          value={from}
          onChange={edit("from")}
          error={errors.from}
          autoComplete="off"
        />
        <TextField
          label="Clicked to"
          type="date"
          name="to"
          value={to}
          onChange={edit("to")}
          error={errors.to}
          autoComplete="off"
        />
        {/* Polaris labels sit above their fields: the buttons line up with the fields below them. */}
        <div style={{ paddingTop: "var(--p-space-600)" }}>
          <InlineStack gap="300">
            <Button submit variant="primary">
              Apply filters
            </Button>
            <Button url="/app/referrals">Clear</Button>
            {exportUrl ? (
              <DownloadButton url={exportUrl} filename={exportFilename}>
                Export CSV
              </DownloadButton>
            ) : null}
          </InlineStack>
        </div>
      </InlineStack>
    </Form>
  );
}

export default function ReferralEvents() {
  const data = useLoaderData<typeof loader>();
  const { events, nextCursor, previousCursor, filters, total, offset, values, error } = data;
  const navigate = useNavigate();
  const dates = useDateFormat();
  // At a phone's width (the Shopify mobile app is 390 px) each event is one stacked row, every
  // column that matters on screen, rather than a table scrolled sideways.
  const { smDown: condensed } = useBreakpoints();

  const pageUrl = (cursor: { after?: string; before?: string }) => {
    const params = new URLSearchParams(filters);
    if (cursor.after) params.set("after", cursor.after);
    if (cursor.before) params.set("before", cursor.before);
    return `/app/referrals?${params.toString()}`;
  };
  const pageCount = total === null ? 0 : Math.max(1, Math.ceil(total / PAGE_SIZE));
  const pageNumber = Math.min(pageCount, Math.floor(offset / PAGE_SIZE) + 1);
  const anyFilter = Object.values(values).some(Boolean);

  return (
    <Page
      title="Referral events"
      subtitle="Every click on your links and what became of it. Referred users are anonymized."
      fullWidth
    >
      <BlockStack gap="400">
        {error?.code === "invalid_cursor" ? (
          <Banner tone="warning" title="This page link is out of date">
            <p>
              The events have moved on since it was made.{" "}
              <Link to={filters ? `/app/referrals?${filters}` : "/app/referrals"}>
                Go to the first page
              </Link>
              .
            </p>
          </Banner>
        ) : null}
        <Card>
          <ReferralFilterForm
            values={values}
            errors={data.fieldErrors}
            exportUrl={data.exportUrl}
            exportFilename={data.exportFilename}
          />
        </Card>
        <Card padding="0">
          {total !== null && events.length > 0 ? (
            <div style={{ padding: "var(--p-space-300) var(--p-space-400)" }}>
              <Text as="p" tone="subdued" id="referral-events-count">
                {`${count.format(offset + 1)}–${count.format(offset + events.length)} of ${count.format(total)} ${anyFilter ? "matching " : ""}events`}
              </Text>
            </div>
          ) : null}
          <IndexTable
            resourceName={{ singular: "referral event", plural: "referral events" }}
            itemCount={events.length}
            selectable={false}
            condensed={condensed}
            emptyState={
              <BlockStack gap="200" inlineAlign="center">
                <Text as="p" variant="headingSm">
                  {error
                    ? "Correct the filters above to see events"
                    : `No referral events ${anyFilter ? "match these filters" : "yet"}`}
                </Text>
                <Text as="p" tone="subdued">
                  Clicks on your link, QR code and storefront block appear here.
                </Text>
              </BlockStack>
            }
            headings={[
              { title: "Clicked" },
              { title: "Status" },
              { title: "Channel" },
              { title: "Referred user" },
              { title: "Signed up" },
              { title: "Source" },
              { title: "Campaign" },
              { title: "Quality" },
            ]}
          >
            {events.map((event, index) =>
              condensed ? (
                <IndexTable.Row id={event.id} key={event.id} position={index}>
                  <IndexTable.Cell>
                    {/* Table cells do not wrap; a stacked row must, to stay on screen. */}
                    <div style={{ whiteSpace: "normal" }}>
                      <BlockStack gap="100">
                        <InlineStack align="space-between" blockAlign="center" gap="200">
                          <Text as="span" fontWeight="semibold">
                            {formatDateTime(event.createdAt, dates)}
                          </Text>
                          <Badge tone={STATUS_TONES[event.status]}>
                            {REFERRAL_STATUS_LABELS[event.status]}
                          </Badge>
                        </InlineStack>
                        <Text as="span">
                          {[
                            REFERRAL_CHANNEL_LABELS[event.channel],
                            event.utmParams?.utm_source,
                            event.utmParams?.utm_campaign,
                          ]
                            .filter(Boolean)
                            .join(" · ")}
                        </Text>
                        {event.referredUser ? (
                          <Text as="span" tone="subdued">
                            {`${event.referredUser}, signed up ${event.signedUpAt ? formatDateTime(event.signedUpAt, dates) : ""}`}
                          </Text>
                        ) : null}
                        {event.review || event.adClickIds.length > 0 ? (
                          <QualityCell event={event} />
                        ) : null}
                      </BlockStack>
                    </div>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ) : (
                <IndexTable.Row id={event.id} key={event.id} position={index}>
                  <IndexTable.Cell>{formatDateTime(event.createdAt, dates)}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Badge tone={STATUS_TONES[event.status]}>
                      {REFERRAL_STATUS_LABELS[event.status]}
                    </Badge>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{REFERRAL_CHANNEL_LABELS[event.channel]}</IndexTable.Cell>
                  <IndexTable.Cell>{event.referredUser ?? "—"}</IndexTable.Cell>
                  <IndexTable.Cell>
                    {event.signedUpAt ? formatDateTime(event.signedUpAt, dates) : "—"}
                  </IndexTable.Cell>
                  <IndexTable.Cell>{event.utmParams?.utm_source ?? "—"}</IndexTable.Cell>
                  <IndexTable.Cell>{event.utmParams?.utm_campaign ?? "—"}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <QualityCell event={event} />
                  </IndexTable.Cell>
                </IndexTable.Row>
              ),
            )}
          </IndexTable>
          <div style={{ display: "flex", justifyContent: "center", padding: "12px" }}>
            <Pagination
              hasPrevious={previousCursor !== null}
              onPrevious={() => previousCursor && navigate(pageUrl({ before: previousCursor }))}
              hasNext={nextCursor !== null}
              onNext={() => nextCursor && navigate(pageUrl({ after: nextCursor }))}
              label={total ? `Page ${pageNumber} of ${pageCount}` : undefined}
            />
          </div>
        </Card>
      </BlockStack>
    </Page>
  );
}
