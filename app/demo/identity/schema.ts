// The demo identity's form (local previews only).
import { z } from "zod";

import { safeText } from "~/schemas/primitives";

export const demoIdentityFormSchema = z.object({
  email: safeText()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: "Enter a valid e-mail address." }).max(254)),
});
