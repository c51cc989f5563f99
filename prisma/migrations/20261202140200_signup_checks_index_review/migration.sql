-- `npm run stores -- flags` lists the sign-ups awaiting review, oldest first. Partial: only
-- flagged sign-ups are indexed, so a click (the hot path's INSERT) writes no entry here.
-- Prisma's schema cannot say WHERE: its @@index names the same columns.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "StoreReferral_review_signedUpAt_idx" ON "StoreReferral"("review", "signedUpAt") WHERE "review" IS NOT NULL
