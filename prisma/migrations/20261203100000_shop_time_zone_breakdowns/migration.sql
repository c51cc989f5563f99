-- The shop's time zone and the breakdown rollups (issue 11,
-- docs/decisions/0018-shop-time-zone-and-breakdowns.md). Safe on live tables: nullable columns
-- or a constant default (no rewrite), a new table and a new function. The new rollup is filled
-- from the existing rows by the next migration.

-- AlterTable
ALTER TABLE "Store" ADD COLUMN     "previousTimeZone" TEXT,
ADD COLUMN     "timeZone" TEXT NOT NULL DEFAULT 'UTC',
ADD COLUMN     "timeZoneChangedAt" TIMESTAMPTZ(3),
ADD COLUMN     "timeZoneReadAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "StoreReferral" ADD COLUMN     "referrerHost" TEXT;

-- CreateTable
CREATE TABLE "StoreDailyBreakdown" (
    "storeId" INTEGER NOT NULL,
    "dimension" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "value" TEXT NOT NULL,
    "clicks" INTEGER NOT NULL DEFAULT 0,
    "signups" INTEGER NOT NULL DEFAULT 0,
    "activations" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "StoreDailyBreakdown_pkey" PRIMARY KEY ("storeId","dimension","day","value")
);

-- AddForeignKey
ALTER TABLE "StoreDailyBreakdown" ADD CONSTRAINT "StoreDailyBreakdown_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "StoreMonthlyBreakdown" (
    "storeId" INTEGER NOT NULL,
    "dimension" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "value" TEXT NOT NULL,
    "clicks" INTEGER NOT NULL DEFAULT 0,
    "signups" INTEGER NOT NULL DEFAULT 0,
    "activations" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "StoreMonthlyBreakdown_pkey" PRIMARY KEY ("storeId","dimension","month","value")
);

-- AddForeignKey
ALTER TABLE "StoreMonthlyBreakdown" ADD CONSTRAINT "StoreMonthlyBreakdown_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A breakdown value as the rollups keep it: trimmed, lower-cased, at most 100 characters, and
-- "(none)" when absent or empty. One definition for the click path, the backfill and the exact
-- counts over rows (app/models/referral-rollup.ts).
CREATE OR REPLACE FUNCTION "referral_dimension_value"(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT coalesce(nullif(left(lower(btrim(value, E' \t\r\n')), 100), ''), '(none)') $$;
