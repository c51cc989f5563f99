// What a referral link visit may carry: the code (from /r/:code or the first ?ref=), the
// channel and the UTM parameters. Anything else in the query is ignored; a bad value is dropped,
// never an error page for a shopper.
import { z } from "zod";

import { redactContactDetails } from "~/lib/privacy/source-url.server";
import { REFERRAL_CODE_MAX_LENGTH, REFERRAL_CODE_PATTERN } from "~/models/referral-code";
import { REFERRAL_CHANNELS } from "~/models/referral-enums";
import { toStorableText } from "~/schemas/primitives";

export const UTM_PARAMETERS = [
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
] as const;
export const UTM_VALUE_MAX_LENGTH = 256;

export type UtmParameter = (typeof UTM_PARAMETERS)[number];

// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/**
 * Control characters removed, cut to 256 UTF-16 units, then every unpaired surrogate removed
 * (PostgreSQL's jsonb refuses them): one in the value, or half of an emoji left by the cut.
 * A value that looks like an e-mail address or a phone number is redacted (docs/privacy.md):
 * it is then neither stored, nor sent to PostHog, nor put back into the landing page's URL.
 */
function cleanUtmValue(value: string): string | undefined {
  const cleaned = toStorableText(
    value.replace(CONTROL_CHARACTERS, "").slice(0, UTM_VALUE_MAX_LENGTH),
  );
  return cleaned === "" ? undefined : redactContactDetails(cleaned);
}

const utmValue = z.string().transform(cleanUtmValue).optional().catch(undefined);

export const referralVisitSchema = z.object({
  /** The seeds' validate_referral() rule; an invalid code reads as none. */
  code: z
    .string()
    .max(REFERRAL_CODE_MAX_LENGTH)
    .regex(REFERRAL_CODE_PATTERN)
    .nullable()
    .catch(null),
  channel: z.enum(REFERRAL_CHANNELS).optional().catch(undefined),
  utm_source: utmValue,
  utm_medium: utmValue,
  utm_campaign: utmValue,
  utm_term: utmValue,
  utm_content: utmValue,
});

export type ReferralVisitParameters = z.infer<typeof referralVisitSchema>;

/** The first value of each parameter wins (a repeated ?ref= or ?utm_source= is not an error). */
export function parseReferralVisit(
  code: string | null | undefined,
  query: URLSearchParams | null,
): ReferralVisitParameters {
  return referralVisitSchema.parse({
    code: code ?? null,
    channel: query?.get("channel") ?? undefined,
    utm_source: query?.get("utm_source") ?? undefined,
    utm_medium: query?.get("utm_medium") ?? undefined,
    utm_campaign: query?.get("utm_campaign") ?? undefined,
    utm_term: query?.get("utm_term") ?? undefined,
    utm_content: query?.get("utm_content") ?? undefined,
  });
}
