-- Fills the breakdown rollup from the referral rows stored before it existed (issue 11). One
-- read of StoreReferral (ACCESS SHARE: clicks, sign-ups and activations go on meanwhile) into a
-- table nothing reads yet. Each event counts on its local day in the store's zone (every store is
-- still on the default UTC here, as its StoreDailyStat days are), under the same rules as the
-- click path: the first 100 values of a store, dimension and day (by clicks) get their own row,
-- the rest count in "(other)". A click is a row the click path wrote (see CLICK_ROW_SQL in
-- app/models/referral-rollup.ts). The second statement puts in "(other)" what StoreDailyStat
-- counted and the rows no longer tell: clicks the retention job deleted (unconverted, older
-- than 13 months), and clicks an instance of the previous release recorded since the first
-- statement's snapshot (a rolling deploy), so that each day's values add up to its counters.
-- Both add to a row that exists (ON CONFLICT): never the case in a deploy, where the new
-- release's instances start after the migrations (docs/decisions/0018).
INSERT INTO "StoreDailyBreakdown" ("storeId", "dimension", "day", "value", "clicks", "signups", "activations")
SELECT "storeId", "dimension", "day",
       CASE WHEN "rank" <= 100 AND "value" <> '(other)' THEN "value" ELSE '(other)' END,
       sum("clicks"), sum("signups"), sum("activations")
  FROM (
    SELECT v.*, row_number() OVER (PARTITION BY "storeId", "dimension", "day"
                                   ORDER BY "value" = '(other)', "clicks" DESC, "signups" DESC, "value") AS "rank"
      FROM (
        SELECT r."storeId", d."dimension", (e."at" AT TIME ZONE s."timeZone")::date AS "day", d."value",
               count(*) FILTER (WHERE e."kind" = 'clicks') AS "clicks",
               count(*) FILTER (WHERE e."kind" = 'signups') AS "signups",
               count(*) FILTER (WHERE e."kind" = 'activations') AS "activations"
          FROM "StoreReferral" r
          JOIN "Store" s ON s."id" = r."storeId"
          CROSS JOIN LATERAL (VALUES
            ('clicks', CASE WHEN r."clickBucket" IS NOT NULL OR r."signedUpAt" IS NULL OR r."createdAt" < r."signedUpAt" THEN r."createdAt" END),
            ('signups', r."signedUpAt"),
            ('activations', r."activatedAt")) AS e("kind", "at")
          CROSS JOIN LATERAL (VALUES
            ('channel', r."channel"::text),
            ('utm_source', "referral_dimension_value"(r."utmParams"->>'utm_source')),
            ('utm_medium', "referral_dimension_value"(r."utmParams"->>'utm_medium')),
            ('utm_campaign', "referral_dimension_value"(r."utmParams"->>'utm_campaign')),
            ('referrer', "referral_dimension_value"(r."referrerHost"))) AS d("dimension", "value")
         WHERE e."at" IS NOT NULL
         GROUP BY 1, 2, 3, 4
      ) v
  ) ranked
 GROUP BY 1, 2, 3, 4
ON CONFLICT ("storeId", "dimension", "day", "value") DO UPDATE SET
  "clicks" = "StoreDailyBreakdown"."clicks" + EXCLUDED."clicks",
  "signups" = "StoreDailyBreakdown"."signups" + EXCLUDED."signups",
  "activations" = "StoreDailyBreakdown"."activations" + EXCLUDED."activations";

INSERT INTO "StoreDailyBreakdown" ("storeId", "dimension", "day", "value", "clicks", "signups", "activations")
SELECT s."storeId", d."dimension", s."day", '(other)',
       greatest(s."clicks" - coalesce(b."clicks", 0), 0),
       greatest(s."signups" - coalesce(b."signups", 0), 0),
       greatest(s."activations" - coalesce(b."activations", 0), 0)
  FROM "StoreDailyStat" s
 CROSS JOIN (VALUES ('channel'), ('utm_source'), ('utm_medium'), ('utm_campaign'), ('referrer')) AS d("dimension")
  LEFT JOIN (SELECT "storeId", "dimension", "day", sum("clicks") AS "clicks", sum("signups") AS "signups",
                    sum("activations") AS "activations"
               FROM "StoreDailyBreakdown" GROUP BY 1, 2, 3) b
    ON b."storeId" = s."storeId" AND b."dimension" = d."dimension" AND b."day" = s."day"
 WHERE s."clicks" > coalesce(b."clicks", 0) OR s."signups" > coalesce(b."signups", 0)
    OR s."activations" > coalesce(b."activations", 0)
ON CONFLICT ("storeId", "dimension", "day", "value") DO UPDATE SET
  "clicks" = "StoreDailyBreakdown"."clicks" + EXCLUDED."clicks",
  "signups" = "StoreDailyBreakdown"."signups" + EXCLUDED."signups",
  "activations" = "StoreDailyBreakdown"."activations" + EXCLUDED."activations";

-- The planner's statistics of the table just filled: until autovacuum analyzes it, a year's
-- breakdown read was planned as a scan of every day of the store's dimension (23 ms instead of 3
-- ms at 1,000,000 referral rows, measured by npm run bench -- --only analytics).
ANALYZE "StoreDailyBreakdown";
