-- `npm run stores -- flags` lists the sign-ups awaiting review, oldest first.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "StoreReferral_review_signedUpAt_idx" ON "StoreReferral"("review", "signedUpAt");
