// The links a store shares, one builder per place they appear. Pure: used by loaders and by the
// Settings link builder in the browser.
import { buildReferralLink } from "~/models/referral-code";

/** The link staff share: `<site>/?ref=<code>` (the seeds' referral_link). */
export function storeReferralLink(siteUrl: string, referralCode: string) {
  return buildReferralLink(siteUrl, referralCode);
}

/**
 * The link printed as the In-store kit's QR code: the "In-store signage" preset's link (tagged
 * channel=qr, so scans are counted apart from clicks, and with the preset's UTM parameters), the
 * same link the Settings link builder shows for that preset without a campaign.
 */
export function qrReferralLink(siteUrl: string, referralCode: string) {
  return buildPresetLink(siteUrl, referralCode, linkPreset("in_store"));
}

/** The link of the storefront block: the app's own `/r/<code>` redirect, tagged channel=storefront. */
export function storefrontReferralLink(appUrl: string, referralCode: string) {
  const url = new URL(`/r/${encodeURIComponent(referralCode)}`, appUrl);
  url.searchParams.set("channel", "storefront");
  return url.toString();
}

export interface LinkPreset {
  id: "instagram" | "email" | "in_store" | "storefront";
  label: string;
  helpText: string;
  params: { utm_source: string; utm_medium: string; channel?: "qr" | "storefront" };
}

/** UTM presets of the Settings link builder, one per place the seeds say links are shared. */
export const LINK_PRESETS: readonly LinkPreset[] = [
  {
    id: "instagram",
    label: "Instagram",
    helpText: "For your bio link, stories and posts.",
    params: { utm_source: "instagram", utm_medium: "social" },
  },
  {
    id: "email",
    label: "Email",
    helpText: "For newsletters and customer e-mails.",
    params: { utm_source: "newsletter", utm_medium: "email" },
  },
  {
    id: "in_store",
    label: "In-store signage",
    helpText:
      "For posters, shelf talkers and receipts (print it as a QR code from the In-store kit).",
    params: { utm_source: "in_store", utm_medium: "signage", channel: "qr" },
  },
  {
    id: "storefront",
    label: "Storefront",
    helpText: "For links on your online store's pages.",
    params: { utm_source: "storefront", utm_medium: "website", channel: "storefront" },
  },
];

/** One preset by id (the ids are typed: a missing one fails the typecheck, not the page). */
export function linkPreset(id: LinkPreset["id"]): LinkPreset {
  return LINK_PRESETS.find((preset) => preset.id === id)!;
}

/** A preset's UTM parameters alone (the demo's history is tagged with the same words). */
export function presetUtm(id: LinkPreset["id"]) {
  const { utm_source, utm_medium } = linkPreset(id).params;
  return { utm_source, utm_medium };
}

/** A shareable link with a preset's UTM parameters and an optional campaign name. */
export function buildPresetLink(
  siteUrl: string,
  referralCode: string,
  preset: LinkPreset,
  campaign?: string,
) {
  return buildReferralLink(siteUrl, referralCode, {
    ...preset.params,
    utm_campaign: campaign?.trim() || undefined,
  });
}
