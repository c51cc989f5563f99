// The admin home's form (app/routes/app._index.tsx; its date range: lib/admin/range-query).
// Server-only (.server), so that zod stays out of the page's browser bundle (it was 91 KB of gzip
// there).
import { z } from "zod";

export const AdminHomeAction = z.object({ intent: z.literal("copy_link") });
