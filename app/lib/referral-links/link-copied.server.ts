// The merchant copied the store's referral link in the admin (the seeds' copy button): nothing
// is stored, the product only counts it.
import { trackReferralLinkCopied } from "~/lib/analytics/events.server";

export function recordReferralLinkCopied({
  shopDomain,
  store,
}: {
  shopDomain: string;
  store: { id: number; referralCode: string };
}) {
  trackReferralLinkCopied({ shopDomain, referralCode: store.referralCode, storeId: store.id });
}
