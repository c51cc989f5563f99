-- The retention job's way to the visitor hashes it clears (issue 13). CONCURRENTLY, so that
-- clicks keep being written while it builds (the driver adapter runs it outside a transaction).
CREATE INDEX CONCURRENTLY IF NOT EXISTS "StoreReferral_clickBucket_idx" ON "StoreReferral"("clickBucket");
