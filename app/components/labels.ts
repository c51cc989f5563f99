// Display labels of the referral enums, shared by the admin pages and the CSV export.
export const REFERRAL_STATUS_LABELS = {
  clicked: "Clicked",
  signed_up: "Signed up",
  active: "Active",
} as const;

export const REFERRAL_CHANNEL_LABELS = {
  link: "Link",
  qr: "QR code",
  storefront: "Storefront",
  other: "Other",
} as const;

export const STORE_CATEGORY_LABELS = {
  supplement_shop: "Supplement shop",
  health_food: "Health food store",
  online_wellness: "Online wellness shop",
  pharmacy: "Pharmacy",
  fitness: "Fitness",
  clinic: "Clinic",
  other: "Other",
} as const;

export const STORE_STATUS_LABELS = {
  pending: "Pending",
  active: "Active",
  suspended: "Suspended",
  deactivated: "Deactivated",
} as const;
