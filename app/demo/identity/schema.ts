// The demo identity's form (local previews only).
import { z } from "zod";

export const demoIdentityFormSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: "Enter a valid e-mail address." }).max(254)),
});
