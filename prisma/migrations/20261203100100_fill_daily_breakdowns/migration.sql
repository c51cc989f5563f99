-- Fills the breakdown rollup from the referral rows stored before it existed (issue 11). One
-- read of StoreReferral (ACCESS SHARE: clicks, sign-ups and activations go on meanwhile) into a
-- table nothing reads yet. Each event counts on its local day in the store's zone (every store is
-- still on the default UTC here, as its StoreDailyStat days are), under the same rules as the
-- click path: the first 100 values of a store, dimension and day (by clicks) get their own row,
-- the rest count in "(other)". A click is a row the click path wrote (see CLICK_ROW_SQL in
-- app/models/referral-rollup.ts). Clicks an instance of the previous release records after this
-- statement's snapshot (a rolling deploy) are in StoreDailyStat but not here:
-- `npm run stores -- rebuild-breakdowns` recounts those days (docs/decisions/0018).
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
 GROUP BY 1, 2, 3, 4;
