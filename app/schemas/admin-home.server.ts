// The admin home's search params and form (app/routes/app._index.tsx). Server-only (.server), so
// that zod stays out of the page's browser bundle (it was 91 KB of gzip there).
import { z } from "zod";

export const AdminHomeQuery = z.object({
  days: z.enum(["30", "90"]).default("30").transform(Number),
});

export const AdminHomeAction = z.object({ intent: z.literal("copy_link") });
