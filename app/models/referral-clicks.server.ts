// Referral link clicks (the seeds' record_referral_click_sync): one grouped statement per batch
// of concurrent clicks, through a process-wide queue (docs/decisions/0004-click-group-commit.md).
// Each batch adds to the per-day rollup in the same statement, so counts and rows agree.
import { db } from "~/db.server";
import { getEnv } from "~/env.server";
import { GroupCommitQueue } from "~/lib/infra/group-commit.server";
import { defineCounter, defineGauge } from "~/lib/infra/metrics.server";
import { timeOrderedUuid } from "~/lib/infra/uuid.server";
import { isStoreReferralCode, validateReferralCode } from "~/models/referral-code";
import type { ReferralChannel } from "~/models/referral-enums";
import { addToBreakdownRollup, addToDailyRollup } from "~/models/referral-rollup";

export interface ReferralClickInput {
  referralCode: string;
  sourceUrl?: string | null;
  utmParams?: Record<string, string> | null;
  /** Keyed hash of IP + user agent (see hashVisitor); clicks are counted once per visitor per hour. */
  visitorHash?: string | null;
  channel?: ReferralChannel;
  /** Names of the paid-ad click id parameters on the link (gclid, …): never their values. */
  adClickIds?: readonly string[];
  /** The host of the click's Referer header (referrerHostOf), never its path or query. */
  referrerHost?: string | null;
}

export type ReferralClickResult =
  | {
      recorded: true;
      clickId: string;
      storeId: number;
      /** False when this visitor's click was already counted this hour (the same row is returned). */
      counted: boolean;
    }
  | {
      recorded: false;
      reason: "invalid_code" | "not_store_code" | "unknown_or_inactive_store";
    };

const clickMetrics = {
  recorded: defineCounter("referral_clicks_recorded_total", "Clicks written as new rows."),
  deduplicated: defineCounter(
    "referral_clicks_deduplicated_total",
    "Clicks of a visitor already counted for the store this hour.",
  ),
  // Clicks written per statement = (recorded + deduplicated) / batches: how well commits group.
  batches: defineCounter(
    "referral_click_batches_total",
    "Grouped click statements committed (each one transaction).",
  ),
};

interface ClickRow {
  input: number;
  id: string;
  storeId: number;
  inserted: boolean;
}

// The code is resolved to an active store inside the statement, so an uninstalled or suspended
// store stops counting at once (no cache to go stale) and an unknown code simply inserts nothing.
// The rows are matched back to their inputs with equality joins only (hash joins): a visitor's
// row by code and visitor hash (it may be an earlier row of the hour), a row without visitor hash
// by the id we gave it. An IS NOT DISTINCT FROM join here cost O(batch²) (decision 0010).
const RECORD_CLICKS_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::int[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                       $8::text[], $9::text[])
    AS t("input", "id", "referralCode", "visitorHash", "utmParams", "sourceUrl", "channel", "adClickIds",
         "referrerHost")
),
inserted AS (
  INSERT INTO "StoreReferral" ("id", "storeId", "referralCode", "status", "utmParams", "sourceUrl",
                               "channel", "visitorHash", "clickBucket", "createdAt", "adClickIds",
                               "referrerHost")
  SELECT i."id", s."id", i."referralCode", 'clicked', i."utmParams"::jsonb, i."sourceUrl",
         i."channel"::"ReferralChannel", i."visitorHash", date_trunc('hour', now(), 'UTC'), now(),
         coalesce(string_to_array(i."adClickIds", ','), '{}'), i."referrerHost"
  FROM input i JOIN "Store" s ON s."referralCode" = i."referralCode" AND s."status" = 'active'
  ON CONFLICT ("storeId", "visitorHash", "clickBucket")
    DO UPDATE SET "visitorHash" = EXCLUDED."visitorHash"
  RETURNING "id", "storeId", "referralCode", "visitorHash", (xmax = 0) AS "inserted", "channel",
            "utmParams", "referrerHost"
),
rollup AS (${addToDailyRollup("clicks", `inserted WHERE "inserted"`)}),
${addToBreakdownRollup("clicks", `inserted WHERE "inserted"`)}
SELECT i."input", r."id", r."storeId", r."inserted"
FROM inserted r
JOIN input i ON i."referralCode" = r."referralCode" AND i."visitorHash" = r."visitorHash"
UNION ALL
SELECT i."input", r."id", r."storeId", r."inserted"
FROM inserted r
JOIN input i ON i."id" = r."id"
WHERE r."visitorHash" IS NULL`;

async function writeClickBatch(items: ReferralClickInput[]): Promise<ReferralClickResult[]> {
  // Within one statement a row can be upserted once only: the same visitor's clicks on the same
  // code in one batch become one input row, and share its result.
  const inputIndexOfItem: number[] = [];
  const inputs: ReferralClickInput[] = [];
  const byVisitor = new Map<string, number>();
  items.forEach((item) => {
    const key = item.visitorHash ? `${item.referralCode}\u0000${item.visitorHash}` : null;
    const existing = key ? byVisitor.get(key) : undefined;
    if (existing !== undefined) {
      inputIndexOfItem.push(existing);
      return;
    }
    inputs.push(item);
    inputIndexOfItem.push(inputs.length - 1);
    if (key) byVisitor.set(key, inputs.length - 1);
  });

  const { rows } = await db.pool.query<ClickRow>({
    // Prepared once per connection: the statement (with its rollup CTEs) is planned once, not
    // on every batch.
    name: "record_referral_clicks",
    text: RECORD_CLICKS_SQL,
    values: [
      inputs.map((_, index) => index),
      inputs.map(() => timeOrderedUuid()),
      inputs.map((input) => input.referralCode),
      inputs.map((input) => input.visitorHash ?? null),
      inputs.map((input) => (input.utmParams ? JSON.stringify(input.utmParams) : null)),
      inputs.map((input) => input.sourceUrl ?? null),
      inputs.map((input) => input.channel ?? "link"),
      // One text per click (a comma-joined list of names): unnest cannot pair a row with an array.
      inputs.map((input) => (input.adClickIds?.length ? input.adClickIds.join(",") : null)),
      inputs.map((input) => input.referrerHost ?? null),
    ],
  });

  clickMetrics.batches.increment();
  const resultOfInput = new Map<number, ReferralClickResult>();
  for (const row of rows) {
    resultOfInput.set(row.input, {
      recorded: true,
      clickId: row.id,
      storeId: row.storeId,
      counted: row.inserted,
    });
  }
  const counted = new Set<number>();
  return items.map((_, itemIndex) => {
    const inputIndex = inputIndexOfItem[itemIndex]!;
    const result = resultOfInput.get(inputIndex);
    if (!result || !result.recorded) {
      return { recorded: false, reason: "unknown_or_inactive_store" } as const;
    }
    // Only the first item of a merged group can have created the row.
    const isFirst = !counted.has(inputIndex);
    counted.add(inputIndex);
    const itemResult = { ...result, counted: result.counted && isFirst };
    if (itemResult.counted) clickMetrics.recorded.increment();
    else clickMetrics.deduplicated.increment();
    return itemResult;
  });
}

declare global {
  var __storeReferralsClickQueue:
    GroupCommitQueue<ReferralClickInput, ReferralClickResult> | undefined;
}

function clickQueue() {
  globalThis.__storeReferralsClickQueue ??= new GroupCommitQueue({
    write: writeClickBatch,
    maxBatchSize: 1000,
    maxPending: getEnv().CLICK_QUEUE_LIMIT,
    // One batch in flight: every batch updates the store's rollup row for the day, so concurrent
    // batches queued on each other's row lock; one at a time, the next batch grows instead and
    // costs less per click (docs/decisions/0010-performance-measured.md, with figures).
    maxConcurrentWrites: 1,
  });
  return globalThis.__storeReferralsClickQueue;
}

defineGauge("referral_click_queue_pending", "Clicks waiting to be written.", () =>
  globalThis.__storeReferralsClickQueue
    ? globalThis.__storeReferralsClickQueue.getStats().pending
    : 0,
);

/**
 * Records a click on a referral link. Unknown, inactive and non-store codes are not recorded
 * (no error). A visitor's clicks on one store count once per hour: later ones return the same
 * row. Resolves only once the row is committed; concurrent clicks share one statement.
 * Rejects (QueueFullError, DeadlineExceededError, database errors) when it cannot record: the
 * caller decides what the shopper sees, and must not wait forever (pass a deadline).
 */
export async function recordReferralClick(
  input: ReferralClickInput,
  { deadline }: { deadline?: number } = {},
): Promise<ReferralClickResult> {
  if (!validateReferralCode(input.referralCode)) return { recorded: false, reason: "invalid_code" };
  if (!isStoreReferralCode(input.referralCode))
    return { recorded: false, reason: "not_store_code" };
  return clickQueue().push(input, deadline);
}

/** Writes what is queued and refuses new clicks (graceful shutdown). */
export async function closeClickQueue() {
  const queue = globalThis.__storeReferralsClickQueue;
  globalThis.__storeReferralsClickQueue = undefined;
  await queue?.close();
}

export function getClickQueueStats() {
  return globalThis.__storeReferralsClickQueue?.getStats() ?? null;
}
