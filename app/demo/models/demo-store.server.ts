// Demo data for `npm run demo` (never in production): a partner store with ~90 days of realistic
// referral history, so every screen has something to show on a fresh clone. The history is
// generated with a seeded PRNG (the same on every machine) and written in chunks; the per-day
// rollup is then rebuilt from the rows, exactly as the live statements would have counted them.
import type { ReferralChannel } from "@prisma/client";
import type pg from "pg";

import { db } from "~/db.server";
import { presetUtm } from "~/lib/referral-links/links";
import { ownerEmailFingerprint } from "~/lib/signup/checks/self-referral.server";
import { DEFAULT_STAND_IN_TIME_ZONE } from "~/demo/admin/admin-api-stand-in";
import { breakdownFromRowsSql } from "~/models/referral-rollup";
import { ensureStoreForShop } from "~/models/store.server";

export const DEMO_SHOP_DOMAIN = "chen-wellness-demo.myshopify.com";
export const DEMO_STORE_NAME = "Chen Wellness";
/** A second partner, just installed: the admin's empty state, and a store that sees only itself. */
export const DEMO_NEW_SHOP_DOMAIN = "green-leaf-demo.myshopify.com";
export const DEMO_NEW_STORE_NAME = "Green Leaf Nutrition";

const CHUNK_SIZE = 1000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface ChannelProfile {
  channel: ReferralChannel;
  share: number;
  signupRate: number;
  sources: Array<{ utm_source: string; utm_medium: string; weight: number }>;
}

// Where a supplement shop's referral traffic comes from, and how well each converts. Tagged with
// the Settings link builder's presets (one vocabulary: what the demo shows is what a store's own
// links would record); "other" is what no preset makes.
const CHANNELS: ChannelProfile[] = [
  {
    channel: "link",
    share: 0.45,
    signupRate: 0.1,
    sources: [
      { ...presetUtm("instagram"), weight: 0.6 },
      { ...presetUtm("email"), weight: 0.4 },
    ],
  },
  {
    channel: "qr",
    share: 0.25,
    signupRate: 0.17,
    sources: [{ ...presetUtm("in_store"), weight: 1 }],
  },
  {
    channel: "storefront",
    share: 0.2,
    signupRate: 0.14,
    sources: [{ ...presetUtm("storefront"), weight: 1 }],
  },
  {
    channel: "other",
    share: 0.1,
    signupRate: 0.05,
    sources: [
      { utm_source: "facebook", utm_medium: "social", weight: 0.7 },
      { utm_source: "word-of-mouth", utm_medium: "referral", weight: 0.3 },
    ],
  },
];

/** One way a click arrives: a campaign (or none) and the site it came from (or no Referer). */
interface Arrival {
  campaign: string | null;
  referrerHost: string | null;
}

const MONTH_CAMPAIGNS = [
  "new-year-reset",
  "winter-immunity",
  "spring-detox",
  "spring-detox",
  "summer-energy",
  "summer-energy",
  "summer-hydration",
  "back-to-routine",
  "back-to-routine",
  "fall-immunity",
  "sleep-better",
  "holiday-gifts",
];

function pickWeighted<T>(items: Array<[T, number]>, roll: number): T {
  let remaining = roll * items.reduce((total, [, weight]) => total + weight, 0);
  for (const [item, weight] of items) {
    remaining -= weight;
    if (remaining < 0) return item;
  }
  return items.at(-1)![0];
}

/**
 * The campaign and referring site of a demo click (issue 11's Performance page): seasonal
 * Instagram campaigns and Black Friday, monthly newsletters, in-store cards; Instagram's and
 * Facebook's link shims, webmail, the shop's own site. Drawn from a PRNG of their own, so the
 * rest of the seeded history is the same as before they existed.
 */
function demoArrival(utmSource: string, createdAt: Date, roll: () => number): Arrival {
  const month = createdAt.getUTCMonth();
  const day = createdAt.getUTCDate();
  const blackFriday = (month === 10 && day >= 24) || (month === 11 && day <= 2);
  const monthName = createdAt.toLocaleString("en-US", { month: "short", timeZone: "UTC" });
  switch (utmSource) {
    case "instagram":
      return {
        campaign: pickWeighted<string | null>(
          [
            [blackFriday ? "black-friday" : MONTH_CAMPAIGNS[month]!, 0.6],
            ["creator-collab", 0.2],
            [null, 0.2],
          ],
          roll(),
        ),
        referrerHost: pickWeighted<string | null>(
          [
            ["l.instagram.com", 0.75],
            ["www.instagram.com", 0.15],
            [null, 0.1],
          ],
          roll(),
        ),
      };
    case "newsletter":
    case "email":
      return {
        campaign: pickWeighted<string | null>(
          [
            [`newsletter-${monthName.toLowerCase()}`, 0.7],
            ["welcome-series", 0.3],
          ],
          roll(),
        ),
        referrerHost: pickWeighted<string | null>(
          [
            [null, 0.6],
            ["mail.google.com", 0.25],
            ["outlook.live.com", 0.15],
          ],
          roll(),
        ),
      };
    case "facebook":
      return {
        campaign: pickWeighted<string | null>(
          [
            ["wellness-group", 0.5],
            [null, 0.5],
          ],
          roll(),
        ),
        referrerHost: pickWeighted<string | null>(
          [
            ["l.facebook.com", 0.7],
            ["m.facebook.com", 0.3],
          ],
          roll(),
        ),
      };
    case "word-of-mouth":
      return {
        campaign: null,
        referrerHost: pickWeighted<string | null>(
          [
            [null, 0.5],
            ["www.google.com", 0.3],
            ["t.co", 0.2],
          ],
          roll(),
        ),
      };
    default:
      // In-store signage (scanned: no Referer) and the storefront block (the shop's own site).
      return utmSource === "storefront"
        ? { campaign: null, referrerHost: "chen-wellness.com" }
        : {
            campaign: pickWeighted<string | null>(
              [
                ["counter-card", 0.7],
                ["shelf-talker", 0.3],
              ],
              roll(),
            ),
            referrerHost: null,
          };
  }
}

/** mulberry32: a tiny seeded PRNG, so the demo looks the same on every machine. */
function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T extends { weight?: number; share?: number }>(items: T[], roll: number): T {
  let cumulative = 0;
  for (const item of items) {
    cumulative += item.weight ?? item.share ?? 0;
    if (roll < cumulative) return item;
  }
  return items[items.length - 1]!;
}

interface DemoReferralRow {
  id: string;
  channel: ReferralChannel;
  status: "clicked" | "signed_up" | "active";
  utmParams: string;
  sourceUrl: string;
  /** The host of the click's Referer (l.instagram.com …), or null. */
  referrerHost: string | null;
  visitorHash: string;
  createdAt: Date;
  clickBucket: Date;
  referredUserId: string | null;
  signedUpAt: Date | null;
  activatedAt: Date | null;
  /** Sign-up quality (issue 14): a few sign-ups flagged, some of them already reviewed. */
  flagReasons: string[];
  review: "flagged" | "approved" | "rejected" | null;
  adClickIds: string[];
}

const DEMO_FLAGS = [
  { flagReasons: ["disposable_email"], review: "flagged" },
  { flagReasons: ["repeat_visitor"], review: "flagged" },
  { flagReasons: ["self_referral_domain"], review: "rejected" },
  { flagReasons: ["disposable_email"], review: "approved" },
] as const;

/**
 * The quality of a demo row, read from its id's hex digits (so the seeded random sequence, and
 * with it the rest of the history, is the same as before the checks existed): about 1 sign-up in
 * 25 flagged, and 1 link click in 16 from a Google ad.
 */
function demoQuality(id: string, signedUp: boolean, channel: ReferralChannel) {
  const byte = Number.parseInt(id.slice(0, 2), 16);
  const flag = signedUp && byte < 10 ? DEMO_FLAGS[byte % DEMO_FLAGS.length]! : null;
  const paidAd = channel === "link" && Number.parseInt(id.slice(2, 3), 16) === 0;
  return {
    flagReasons: flag ? [...flag.flagReasons] : [],
    review: flag?.review ?? null,
    adClickIds: paidAd ? ["gclid"] : [],
  };
}

function hex(random: () => number, length: number) {
  let out = "";
  for (let index = 0; index < length; index++) out += Math.floor(random() * 16).toString(16);
  return out;
}

function uuid(random: () => number) {
  const digits = hex(random, 32);
  return `${digits.slice(0, 8)}-${digits.slice(8, 12)}-4${digits.slice(13, 16)}-a${digits.slice(17, 20)}-${digits.slice(20, 32)}`;
}

/** Generates `days` days of referral events ending at `now` (pure; exported for tests). */
export function generateDemoReferrals({
  days,
  now,
  siteUrl,
  referralCode,
  seed = 20261121,
}: {
  days: number;
  now: Date;
  siteUrl: string;
  referralCode: string;
  seed?: number;
}): DemoReferralRow[] {
  const random = seededRandom(seed);
  const arrivals = seededRandom(seed + 11);
  const rows: DemoReferralRow[] = [];
  const startOfToday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (let dayIndex = days - 1; dayIndex >= 0; dayIndex--) {
    const dayStart = startOfToday - dayIndex * DAY;
    const weekday = new Date(dayStart).getUTCDay();
    const growth = 1 + ((days - dayIndex) / days) * 1.4; // the shop got better at sharing
    const weekend = weekday === 0 || weekday === 6 ? 1.35 : 1;
    const clicks = Math.round((14 + random() * 10) * growth * weekend);
    for (let index = 0; index < clicks; index++) {
      const createdAt = new Date(dayStart + Math.floor(random() * DAY));
      if (createdAt.getTime() > now.getTime()) continue;
      const profile = pick(CHANNELS, random());
      const source = pick(profile.sources, random());
      const arrival = demoArrival(source.utm_source, createdAt, arrivals);
      const utm: Record<string, string> = {
        utm_source: source.utm_source,
        utm_medium: source.utm_medium,
        ...(arrival.campaign ? { utm_campaign: arrival.campaign } : {}),
      };
      const signs = random() < profile.signupRate;
      const signedUpAt = signs ? new Date(createdAt.getTime() + random() * 2 * DAY) : null;
      const signedUp = signedUpAt !== null && signedUpAt.getTime() <= now.getTime();
      const activatedAt =
        signedUp && random() < 0.45
          ? new Date(signedUpAt.getTime() + (1 + random() * 13) * DAY)
          : null;
      const active = activatedAt !== null && activatedAt.getTime() <= now.getTime();
      const query = new URLSearchParams({ ref: referralCode, ...utm });
      if (profile.channel !== "link") query.set("channel", profile.channel);
      const id = uuid(random);
      rows.push({
        id,
        ...demoQuality(id, signedUp, profile.channel),
        channel: profile.channel,
        status: active ? "active" : signedUp ? "signed_up" : "clicked",
        utmParams: JSON.stringify(utm),
        sourceUrl: `${siteUrl}/?${query.toString()}`,
        referrerHost: arrival.referrerHost,
        visitorHash: hex(random, 32),
        createdAt,
        clickBucket: new Date(Math.floor(createdAt.getTime() / HOUR) * HOUR),
        referredUserId: signedUp ? `demo_user_${hex(random, 16)}` : null,
        signedUpAt: signedUp ? signedUpAt : null,
        activatedAt: active ? activatedAt : null,
      });
    }
  }
  return rows;
}

export interface DemoSeedResult {
  shopDomain: string;
  referralCode: string;
  storeId: number;
  /** False when the demo store already had its history (a re-run reuses the data). */
  seeded: boolean;
  referralRows: number;
}

/**
 * Creates the demo store and, the first time, its referral history. `onProgress` is called
 * after each chunk (for the progress line of `npm run demo`).
 */
export async function seedDemoData({
  siteUrl,
  days = 90,
  now = new Date(),
  shopDomain = DEMO_SHOP_DOMAIN,
  onProgress,
}: {
  siteUrl: string;
  days?: number;
  now?: Date;
  shopDomain?: string;
  onProgress?: (progress: { written: number; total: number }) => void;
}): Promise<DemoSeedResult> {
  const { store } = await ensureStoreForShop({
    shopDomain,
    name: DEMO_STORE_NAME,
    ownerFingerprint: ownerEmailFingerprint(["owner@chen-wellness.example"]),
    // The zone the local preview's Admin API stand-in answers for every shop.
    timeZone: DEFAULT_STAND_IN_TIME_ZONE,
  });
  await db.prisma.store.updateMany({
    where: { id: store.id, category: "other" },
    data: { category: "supplement_shop" },
  });
  const existing = await db.prisma.storeReferral.count({ where: { storeId: store.id } });
  const base = { shopDomain, referralCode: store.referralCode, storeId: store.id };
  if (existing > 0) return { ...base, seeded: false, referralRows: existing };

  const rows = generateDemoReferrals({ days, now, siteUrl, referralCode: store.referralCode });
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    for (let offset = 0; offset < rows.length; offset += CHUNK_SIZE) {
      const chunk = rows.slice(offset, offset + CHUNK_SIZE);
      await client.query(
        `INSERT INTO "StoreReferral" ("id", "storeId", "referralCode", "status", "utmParams", "sourceUrl",
           "channel", "visitorHash", "clickBucket", "createdAt", "referredUserId", "signedUpAt", "activatedAt",
           "flagReasons", "review", "adClickIds", "reviewedAt", "referrerHost")
         SELECT t."id", $1, $2, t."status"::"ReferralStatus", t."utm"::jsonb, t."sourceUrl",
                t."channel"::"ReferralChannel", t."visitorHash", t."clickBucket", t."createdAt",
                t."referredUserId", t."signedUpAt", t."activatedAt",
                coalesce(string_to_array(t."flagReasons", ','), '{}'), t."review"::"ReferralReview",
                coalesce(string_to_array(t."adClickIds", ','), '{}'),
                CASE WHEN t."review" IN ('approved', 'rejected') THEN t."signedUpAt" + interval '1 day' END,
                t."referrerHost"
           FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                       $9::timestamptz[], $10::timestamptz[], $11::text[], $12::timestamptz[],
                       $13::timestamptz[], $14::text[], $15::text[], $16::text[], $17::text[])
             AS t("id", "status", "utm", "sourceUrl", "channel", "visitorHash", "clickBucket",
                  "createdAt", "referredUserId", "signedUpAt", "activatedAt", "flagReasons",
                  "review", "adClickIds", "referrerHost")`,
        [
          store.id,
          store.referralCode,
          chunk.map((row) => row.id),
          chunk.map((row) => row.status),
          chunk.map((row) => row.utmParams),
          chunk.map((row) => row.sourceUrl),
          chunk.map((row) => row.channel),
          chunk.map((row) => row.visitorHash),
          chunk.map((row) => row.clickBucket),
          chunk.map((row) => row.createdAt),
          chunk.map((row) => row.referredUserId),
          chunk.map((row) => row.signedUpAt),
          chunk.map((row) => row.activatedAt),
          chunk.map((row) => (row.flagReasons.length ? row.flagReasons.join(",") : null)),
          chunk.map((row) => row.review),
          chunk.map((row) => (row.adClickIds.length ? row.adClickIds.join(",") : null)),
          chunk.map((row) => row.referrerHost),
        ],
      );
      onProgress?.({ written: Math.min(offset + CHUNK_SIZE, rows.length), total: rows.length });
    }
    await rebuildDailyStats(client, store.id);
    await client.query(breakdownFromRowsSql(), [store.id]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  return { ...base, seeded: true, referralRows: rows.length };
}

/** Recomputes a store's per-day rollup from its rows, in its zone (after bulk-loading history). */
async function rebuildDailyStats(client: pg.PoolClient, storeId: number) {
  await client.query(
    `INSERT INTO "StoreDailyStat" ("storeId", "day", "clicks", "signups", "activations",
                                   "flaggedSignups", "rejectedSignups")
     SELECT $1, d."day", sum(d."clicks"), sum(d."signups"), sum(d."activations"),
            sum(d."flagged"), sum(d."rejected") FROM (
       SELECT ("createdAt" AT TIME ZONE (SELECT "timeZone" FROM "Store" WHERE "id" = $1))::date AS "day", count(*) AS "clicks", 0 AS "signups",
              0 AS "activations", 0 AS "flagged", 0 AS "rejected"
         FROM "StoreReferral" WHERE "storeId" = $1 AND "clickBucket" IS NOT NULL GROUP BY 1
       UNION ALL
       SELECT ("signedUpAt" AT TIME ZONE (SELECT "timeZone" FROM "Store" WHERE "id" = $1))::date, 0, count(*), 0,
              count(*) FILTER (WHERE "review" = 'flagged'), count(*) FILTER (WHERE "review" = 'rejected')
         FROM "StoreReferral" WHERE "storeId" = $1 AND "signedUpAt" IS NOT NULL GROUP BY 1
       UNION ALL
       SELECT ("activatedAt" AT TIME ZONE (SELECT "timeZone" FROM "Store" WHERE "id" = $1))::date, 0, 0, count(*), 0, 0
         FROM "StoreReferral" WHERE "storeId" = $1 AND "activatedAt" IS NOT NULL GROUP BY 1
     ) d GROUP BY d."day"
     ON CONFLICT ("storeId", "day") DO UPDATE SET
       "clicks" = EXCLUDED."clicks", "signups" = EXCLUDED."signups", "activations" = EXCLUDED."activations",
       "flaggedSignups" = EXCLUDED."flaggedSignups", "rejectedSignups" = EXCLUDED."rejectedSignups"`,
    [storeId],
  );
}
