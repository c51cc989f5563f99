-- The burst and repeat-visitor checks count a store's recent sign-ups. Built without blocking
-- writes (CONCURRENTLY must be the only statement of its migration: no transaction block).
-- Partial: only sign-ups are indexed, so a click (the hot path's INSERT) writes no entry here.
-- Prisma's schema cannot say WHERE: its @@index names the same columns.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "StoreReferral_storeId_signedUpAt_idx" ON "StoreReferral"("storeId", "signedUpAt") WHERE "signedUpAt" IS NOT NULL
