// The stored rows' minimisation after the migration (`npm run privacy -- minimise-stored-urls`):
// batch after batch, each a short statement, until none is left to clean.
import { logger } from "~/lib/infra/logger.server";
import { minimiseStoredUrlsBatch } from "~/models/privacy-retention.server";

const BATCH_SIZE = 5_000;

export async function minimiseStoredUrls({ batchSize = BATCH_SIZE } = {}): Promise<number> {
  let total = 0;
  for (;;) {
    const cleaned = await minimiseStoredUrlsBatch({ limit: batchSize });
    total += cleaned;
    if (cleaned < batchSize) break;
  }
  logger.info("privacy.stored_urls_minimised", { cleaned: total });
  return total;
}
