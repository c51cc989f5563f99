// Referral codes, as the product seeds define them. Pure functions: safe on server and client.

/** The seeds' validate_referral() rule: letters, digits, `_` and `-`, at most 64 characters. */
export const REFERRAL_CODE_PATTERN = /^[a-zA-Z0-9_-]+$/;
export const REFERRAL_CODE_MAX_LENGTH = 64;
/** The discriminator of store referral codes (generic user codes have no prefix). */
export const STORE_REFERRAL_PREFIX = "store-";
const SLUG_PART_LENGTH = 12;

/** Returns the code when it satisfies the seeds' rule, otherwise null. */
export function validateReferralCode(code: unknown): string | null {
  if (typeof code !== "string") return null;
  if (code.length === 0 || code.length > REFERRAL_CODE_MAX_LENGTH) return null;
  return REFERRAL_CODE_PATTERN.test(code) ? code : null;
}

/** A valid code with the `store-` prefix (the store attribution path). */
export function isStoreReferralCode(code: unknown): code is string {
  return validateReferralCode(code) !== null && (code as string).startsWith(STORE_REFERRAL_PREFIX);
}

/** "Chen's Wellness & Co." → "chens-wellness-co"; never empty. */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/g, "");
  return slug || "store";
}

/** store-{slug[:12]}-{4hex}, e.g. store-chen-well-a1b2. */
export function generateStoreReferralCode(slug: string, hex = randomHex(2)): string {
  const slugPart = slugify(slug).slice(0, SLUG_PART_LENGTH).replace(/-+$/g, "") || "store";
  return `${STORE_REFERRAL_PREFIX}${slugPart}-${hex}`;
}

/** The link staff share: `<site>/?ref=<code>`, with optional extra parameters (UTM, channel). */
export function buildReferralLink(
  siteUrl: string,
  referralCode: string,
  params: Record<string, string | undefined> = {},
): string {
  const url = new URL("/", siteUrl);
  url.searchParams.set("ref", referralCode);
  for (const [name, value] of Object.entries(params)) {
    if (value) url.searchParams.set(name, value);
  }
  return url.toString();
}

function randomHex(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buffer);
  return Array.from(buffer, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
