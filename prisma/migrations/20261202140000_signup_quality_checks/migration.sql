-- Sign-up quality checks (issue 14, docs/decisions/0014-signup-quality-checks.md).
-- Every statement is safe on live tables: nullable columns or constant defaults (no rewrite),
-- a new enum type, and one UPDATE of the Store table (one row per shop).

-- CreateEnum
CREATE TYPE "ReferralReview" AS ENUM ('flagged', 'approved', 'rejected');

-- AlterTable
ALTER TABLE "Store" ADD COLUMN     "ownerEmailDomains" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "ownerEmailHashes" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "StoreReferral" ADD COLUMN     "adClickIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "checksNotRun" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "flagReasons" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "review" "ReferralReview",
ADD COLUMN     "reviewNote" TEXT,
ADD COLUMN     "reviewedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "StoreDailyStat" ADD COLUMN     "flaggedSignups" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "rejectedSignups" INTEGER NOT NULL DEFAULT 0;

-- The owner's raw e-mail is no longer kept: only keyed hashes and a non-public domain are
-- (written on the next admin visit, which reads the shop's e-mail from Shopify again).
UPDATE "Store" SET "ownerEmail" = NULL WHERE "ownerEmail" IS NOT NULL;
