// A store's referred users (the seeds' referred_users), anonymized: never the user id itself.
import { db } from "~/db.server";
import { anonymizeUserId } from "~/lib/infra/keyed-hash.server";
import type { ReferralChannel, ReferralStatus } from "~/models/referral-enums";

export interface ReferredUser {
  /** Anonymous, stable label (never the user id). */
  referredUser: string;
  status: ReferralStatus;
  channel: ReferralChannel;
  signedUpAt: Date | null;
  activatedAt: Date | null;
}

/** A store's most recently signed-up referred users, anonymized (the seeds' referred_users). */
export async function getLatestReferredUsers({
  storeId,
  limit = 10,
}: {
  storeId: number;
  limit?: number;
}): Promise<ReferredUser[]> {
  const rows = await db.prisma.storeReferral.findMany({
    where: { storeId, referredUserId: { not: null } },
    orderBy: [{ signedUpAt: { sort: "desc", nulls: "last" } }, { id: "desc" }],
    take: Math.max(1, Math.min(limit, 100)),
  });
  return rows.map((row) => ({
    referredUser: anonymizeUserId(row.referredUserId!),
    status: row.status,
    channel: row.channel,
    signedUpAt: row.signedUpAt,
    activatedAt: row.activatedAt,
  }));
}
