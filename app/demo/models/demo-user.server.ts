// The demo identity's user records (local previews only, never in production): they play the
// part of Clerk's users and their metadata, so that the demo runs the real attribution code.
import { randomBytes } from "node:crypto";

import { db } from "~/db.server";

export interface DemoUser {
  id: string;
  email: string;
}

/**
 * Signs up a demo user, or returns the existing one for that e-mail (a preview may sign up
 * twice). The referral code is kept as unsafe metadata, as Clerk's sign-up form would.
 */
export async function createDemoUser({
  email,
  referralCode,
}: {
  email: string;
  referralCode: string | null;
}): Promise<DemoUser> {
  const { rows } = await db.pool.query<DemoUser>(
    `INSERT INTO "DemoUser" ("id", "email", "unsafeMetadata", "createdAt")
     VALUES ($1, $2, $3::jsonb, now())
     ON CONFLICT ("email") DO UPDATE SET "email" = EXCLUDED."email"
     RETURNING "id", "email"`,
    [
      `demo_user_${randomBytes(12).toString("hex")}`,
      email,
      JSON.stringify(referralCode ? { referral_code: referralCode } : {}),
    ],
  );
  return rows[0]!;
}

export function getDemoUser({ userId }: { userId: string }) {
  return db.prisma.demoUser.findUnique({
    where: { id: userId },
    select: { id: true, email: true, publicMetadata: true },
  });
}

export function getDemoUserByEmail({ email }: { email: string }) {
  return db.prisma.demoUser.findUnique({ where: { email }, select: { id: true, email: true } });
}

/** The user's referral_source in public metadata, or null. */
export async function getDemoUserReferralSource({
  userId,
}: {
  userId: string;
}): Promise<string | null> {
  const { rows } = await db.pool.query<{ referralSource: string | null }>(
    `SELECT "publicMetadata" ->> 'referral_source' AS "referralSource" FROM "DemoUser" WHERE "id" = $1`,
    [userId],
  );
  if (!rows[0]) throw new Error(`No demo user ${userId}`);
  return rows[0].referralSource;
}

/** Sets referral_source in public metadata unless it is set already (never overwritten). */
export async function setDemoUserReferralSource({
  userId,
  referralCode,
}: {
  userId: string;
  referralCode: string;
}) {
  await db.pool.query(
    `UPDATE "DemoUser"
        SET "publicMetadata" = "publicMetadata" || jsonb_build_object('referral_source', $2::text)
      WHERE "id" = $1 AND NOT ("publicMetadata" ? 'referral_source')`,
    [userId, referralCode],
  );
}
