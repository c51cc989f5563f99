// Performance: which channel, source, medium, campaign or referring site brings sign-ups. A
// sortable table per dimension (clicks, sign-ups, activations, conversion rate, each with its
// change against the previous period), the funnel of the chosen value, the home's range control,
// and a CSV export of the table. The URL holds the selection (?dimension=&range=&from=&to=&value=),
// so a reload or a shared link shows the same view. docs/decisions/0019-admin-dates-and-performance.md
import {
  json,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import {
  Link as RemixLink,
  useLoaderData,
  useLocation,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Card,
  EmptyState,
  IndexTable,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Select,
  SkeletonBodyText,
  Text,
  useBreakpoints,
  type IndexTableProps,
} from "@shopify/polaris";
import { useState } from "react";

import { countChange, rateChange, type Change } from "~/components/change";
import { DownloadButton } from "~/components/DownloadButton";
import { Funnel } from "~/components/Funnel";
import { BREAKDOWN_DIMENSION_LABELS } from "~/components/labels";
import { RangeControl, rangeSearch } from "~/components/RangeControl";
import { ChangeText } from "~/components/StatCards";
import { TimeZoneChangeNotice, timeZoneChangeOf } from "~/components/TimeZoneNotice";
import {
  BREAKDOWN_LIMIT,
  breakdownValueLabel,
  DEFAULT_DIMENSION,
  selectedDimension,
  selectedRange,
} from "~/lib/admin/analytics-query.server";
import { requireStoreAdmin } from "~/lib/shopify/admin-context.server";
// Types only: a runtime value of ~/models/performance would bring zod into the page's bundle.
import type {
  Breakdown,
  BreakdownDimension,
  BreakdownRow,
  FunnelWithRate,
} from "~/models/performance";
import { getStoreReferralTotals } from "~/models/referral-stats.server";
import { getBreakdown } from "~/models/store-performance.server";
import performanceStyles from "~/styles/performance.css";

export const meta: MetaFunction = () => [{ title: "Performance" }];

export const links: LinksFunction = () => [{ rel: "stylesheet", href: performanceStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { store } = await requireStoreAdmin(request);
  const params = new URL(request.url).searchParams;
  const selection = selectedRange(params, store.timeZone);
  const dimensionSelection = selectedDimension(params);
  // The breakdown is read beside the totals, not after them.
  const [totals, figuresRead] = await Promise.all([
    getStoreReferralTotals({ storeId: store.id }),
    "error" in selection || "error" in dimensionSelection
      ? null
      : getBreakdown({
          storeId: store.id,
          dimension: dimensionSelection.dimension,
          range: selection.range,
          limit: BREAKDOWN_LIMIT,
        }),
  ]);
  const page = {
    hasClicks: totals.totalClicks > 0,
    today: selection.today,
    value: params.get("value"),
    exportFilename: `${store.slug}-performance.csv`,
    timeZoneChange: timeZoneChangeOf(store),
  };
  if ("error" in selection || "error" in dimensionSelection) {
    return json(
      {
        ...page,
        errors: {
          range: "error" in selection ? selection.error : null,
          dimension: "error" in dimensionSelection ? dimensionSelection.error : null,
        },
        dimension:
          "dimension" in dimensionSelection ? dimensionSelection.dimension : DEFAULT_DIMENSION,
        preset: "error" in selection ? null : selection.preset,
        range: "error" in selection ? selection.fallback : selection.range,
        breakdown: null,
        exportUrl: null,
      },
      { status: 400 },
    );
  }
  const { range, preset } = selection;
  const { dimension } = dimensionSelection;
  const figures = page.hasClicks ? figuresRead : null;
  const breakdown: LabelledBreakdown | null = figures && {
    ...figures,
    rows: figures.rows.map((row) => ({ ...row, label: breakdownValueLabel(dimension, row.value) })),
  };
  const search = new URLSearchParams(rangeSearch({ preset, range }));
  search.set("dimension", dimension);
  return {
    ...page,
    errors: null,
    dimension,
    preset,
    range,
    breakdown,
    exportUrl: `/app/performance.csv?${search.toString()}`,
  };
}

type LabelledRow = BreakdownRow & { label: string };
type LabelledBreakdown = Omit<Breakdown, "rows"> & { rows: LabelledRow[] };

const DIMENSIONS = Object.keys(BREAKDOWN_DIMENSION_LABELS) as BreakdownDimension[];

const number = new Intl.NumberFormat("en-US");

type Metric = "clicks" | "signups" | "activations" | "conversionRate";

const COLUMNS: Array<{ metric: Metric; title: string }> = [
  { metric: "clicks", title: "Clicks" },
  { metric: "signups", title: "Sign-ups" },
  { metric: "activations", title: "Activations" },
  { metric: "conversionRate", title: "Conversion rate" },
];

function metricText(metric: Metric, figures: FunnelWithRate): string {
  return metric === "conversionRate"
    ? `${figures[metric].toFixed(1)}%`
    : number.format(figures[metric]);
}

function metricChange(metric: Metric, row: Pick<BreakdownRow, "current" | "previous">): Change {
  return metric === "conversionRate"
    ? rateChange(row.current.conversionRate, row.previous.conversionRate)
    : countChange(row.current[metric], row.previous[metric]);
}

/** The rows in the order the table's sort says: by the value's label, or by a figure. */
function sortRows(rows: LabelledRow[], column: number, direction: "ascending" | "descending") {
  const sign = direction === "ascending" ? 1 : -1;
  const metric = COLUMNS[column - 1]?.metric;
  return [...rows].sort((a, b) => {
    const order = metric ? a.current[metric] - b.current[metric] : a.label.localeCompare(b.label);
    return sign * order || a.value.localeCompare(b.value);
  });
}

function BreakdownTable({ breakdown }: { breakdown: LabelledBreakdown }) {
  const { smDown: condensed } = useBreakpoints();
  // Sorted in the browser: the table holds every value of the period already.
  const [sort, setSort] = useState<{ column: number; direction: "ascending" | "descending" }>({
    column: 1,
    direction: "descending",
  });
  const rows = sortRows(breakdown.rows, sort.column, sort.direction);
  const headings = [
    { title: BREAKDOWN_DIMENSION_LABELS[breakdown.dimension] },
    ...COLUMNS.map((column) => ({ title: column.title, alignment: "end" as const })),
  ] as IndexTableProps["headings"];
  return (
    <IndexTable
      resourceName={{ singular: "value", plural: "values" }}
      itemCount={rows.length}
      selectable={false}
      condensed={condensed}
      headings={headings}
      sortable={[true, true, true, true, true]}
      sortColumnIndex={sort.column}
      sortDirection={sort.direction}
      defaultSortDirection="descending"
      onSort={(column, direction) => setSort({ column, direction })}
      emptyState={
        <Text as="p" tone="subdued" alignment="center">
          No clicks in this period. Choose a longer range above.
        </Text>
      }
    >
      {rows.map((row, index) => (
        <IndexTable.Row id={row.value} key={row.value} position={index}>
          <IndexTable.Cell>
            <Text as="span" fontWeight="semibold">
              {row.label}
            </Text>
          </IndexTable.Cell>
          {COLUMNS.map((column) => (
            <IndexTable.Cell key={column.metric}>
              <BlockStack inlineAlign={condensed ? "start" : "end"}>
                <Text as="span" numeric>
                  {condensed ? `${column.title}: ` : null}
                  {metricText(column.metric, row.current)}
                </Text>
                <ChangeText change={metricChange(column.metric, row)} />
              </BlockStack>
            </IndexTable.Cell>
          ))}
        </IndexTable.Row>
      ))}
    </IndexTable>
  );
}

export default function PerformancePage() {
  const data = useLoaderData<typeof loader>();
  const { breakdown, errors, dimension } = data;
  const [searchParams, setSearchParams] = useSearchParams();
  const navigation = useNavigation();
  const location = useLocation();
  // A new range or dimension on this page: the table's skeleton while its figures load.
  const loading =
    navigation.state === "loading" && navigation.location.pathname === location.pathname;

  const select = (key: "dimension" | "value", value: string) => {
    const next = new URLSearchParams(searchParams);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key === "dimension") next.delete("value");
    setSearchParams(next, { preventScrollReset: true });
  };

  if (!data.hasClicks) {
    return (
      <Page title="Performance">
        <Card>
          <EmptyState
            heading="No clicks yet"
            image="/images/share-referral-link.svg"
            action={{ content: "Open the in-store kit", url: "/app/kit" }}
          >
            <p>
              Once shoppers click your link, scan your QR code or use your storefront block, this
              page shows which channel, campaign and referring site brings sign-ups. Tag your links
              with UTM parameters in the <RemixLink to="/app/kit">In-store kit</RemixLink> to
              compare your campaigns.
            </p>
          </EmptyState>
        </Card>
      </Page>
    );
  }

  const selectedRow = breakdown?.rows.find((row) => row.value === data.value) ?? null;
  const funnelCounts = selectedRow?.current ?? breakdown?.totals.current;

  return (
    <Page
      title="Performance"
      subtitle="Which channels, sources, campaigns and sites bring sign-ups."
    >
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              {errors?.range ? (
                <Banner tone="critical" title="This date range cannot be shown">
                  <p>{errors.range}</p>
                </Banner>
              ) : null}
              <RangeControl preset={data.preset} range={data.range} today={data.today} />
              <TimeZoneChangeNotice change={data.timeZoneChange} />
              <InlineStack gap="300" blockAlign="end" wrap>
                <Select
                  label="Breakdown by"
                  name="dimension"
                  value={errors?.dimension ? "" : dimension}
                  error={errors?.dimension ?? undefined}
                  options={[
                    ...(errors?.dimension ? [{ label: "Choose a breakdown", value: "" }] : []),
                    ...DIMENSIONS.map((value) => ({
                      value,
                      label: BREAKDOWN_DIMENSION_LABELS[value],
                    })),
                  ]}
                  onChange={(value) => select("dimension", value)}
                />
                {data.exportUrl ? (
                  <DownloadButton url={data.exportUrl} filename={data.exportFilename}>
                    Export CSV
                  </DownloadButton>
                ) : null}
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            {loading ? (
              <div style={{ padding: "var(--p-space-400)" }} aria-busy="true">
                <SkeletonBodyText lines={8} />
              </div>
            ) : breakdown ? (
              <BreakdownTable key={breakdown.dimension} breakdown={breakdown} />
            ) : (
              <div style={{ padding: "var(--p-space-400)" }}>
                <Text as="p" tone="subdued">
                  Correct the choice above to see the figures.
                </Text>
              </div>
            )}
          </Card>
        </Layout.Section>
        {breakdown && funnelCounts ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Funnel
                </Text>
                <InlineGrid columns={{ xs: 1, md: ["oneThird", "twoThirds"] }} gap="400">
                  <Select
                    label="Funnel for"
                    name="value"
                    value={selectedRow?.value ?? ""}
                    options={[
                      { label: "All values", value: "" },
                      ...breakdown.rows.map((row) => ({
                        value: row.value,
                        label: row.label,
                      })),
                    ]}
                    onChange={(value) => select("value", value)}
                  />
                  <Funnel
                    title={`${BREAKDOWN_DIMENSION_LABELS[breakdown.dimension]}: ${selectedRow?.label ?? "all values"}`}
                    counts={funnelCounts}
                  />
                </InlineGrid>
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
      </Layout>
    </Page>
  );
}
