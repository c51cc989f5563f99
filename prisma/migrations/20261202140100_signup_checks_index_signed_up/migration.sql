-- The burst and repeat-visitor checks count a store's recent sign-ups. Built without blocking
-- writes (CONCURRENTLY must be the only statement of its migration: no transaction block).
CREATE INDEX CONCURRENTLY IF NOT EXISTS "StoreReferral_storeId_signedUpAt_idx" ON "StoreReferral"("storeId", "signedUpAt");
