// The minimisation rules, in TypeScript (the click path) and in the migration's SQL functions
// (the rows stored before; they stay in the database for `npm run privacy -- minimise-stored-urls`):
// each case is checked on both, and a property compares both on random URLs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { db } from "~/db.server";
import {
  looksLikeContactDetails,
  minimisedSourceUrl,
  REDACTED_VALUE,
} from "~/lib/privacy/source-url.server";
import { parseReferralVisit } from "~/schemas/referral-visit.server";
import { runPrivacyCommand } from "~/cli/privacy.server";
import { migrationStatements } from "~/test/database";

async function runPrivacy(...argv: string[]) {
  const out: string[] = [];
  const code = await runPrivacyCommand(argv, {
    out: (line) => out.push(line),
    err: (line) => out.push(line),
  });
  return { code, out: out.join("\n") };
}

/** What the click path stores for a visit to `pathAndQuery` (the same steps as visit.server.ts). */
function clickPathSourceUrl(pathAndQuery: string) {
  const [pathPart = "", query = ""] = pathAndQuery.split("?", 2);
  const search = new URLSearchParams(query);
  const parameters = parseReferralVisit("store-chen-well-a1b2", search);
  const ref = search.get("ref");
  return minimisedSourceUrl("https://syntropyhealth.bio", pathPart, {
    ...parameters,
    ref: ref && /^[A-Za-z0-9_-]{1,64}$/.test(ref) ? ref : undefined,
  });
}

async function sqlSourceUrl(url: string) {
  const { rows } = await db.pool.query<{ url: string }>(
    `SELECT "privacy_minimised_source_url"($1) AS url`,
    [url],
  );
  return rows[0]!.url;
}

/** A URL's parameters as a list of [name, value] (compares two encodings of the same URL). */
function parametersOf(url: string) {
  const query = url.includes("?") ? url.slice(url.indexOf("?") + 1) : "";
  return [...new URLSearchParams(query).entries()];
}

describe("looksLikeContactDetails", () => {
  it.each([
    "jane@example.com",
    "newsletter-jane.doe@mail.example.org",
    "jane%40example.com",
    "+1 555 123 4567",
    "+4915112345678",
    "(555) 123-4567",
    "555-123-4567",
    "555.123.4567",
    "5551234567",
    "call 0171 1234567 now",
  ])("redacts %s", async (value) => {
    expect(looksLikeContactDetails(value)).toBe(true);
    const { rows } = await db.pool.query<{ redacted: boolean }>(
      `SELECT "privacy_looks_like_contact_details"($1) AS redacted`,
      [value],
    );
    expect(rows[0]!.redacted).toBe(true);
  });

  it.each([
    "news",
    "instagram",
    "spring-sale-2026",
    "2026-12-01",
    "20261201",
    "v2",
    "12345",
    "50% off",
    "a@b",
    "black friday",
  ])("keeps %s", async (value) => {
    expect(looksLikeContactDetails(value)).toBe(false);
    const { rows } = await db.pool.query<{ redacted: boolean }>(
      `SELECT "privacy_looks_like_contact_details"($1) AS redacted`,
      [value],
    );
    expect(rows[0]!.redacted).toBe(false);
  });
});

describe("the source URL a click keeps", () => {
  it("drops an e-mail parameter and keeps ref and the UTM source (the issue's example)", async () => {
    // GIVEN the newsletter tool's link
    const visited = "/?ref=store-chen-well-a1b2&email=jane@example.com&utm_source=news";
    // WHEN the click path and the migration minimise it
    // THEN both keep the path, ref and utm_source, and nothing of Jane
    const expected = "https://syntropyhealth.bio/?ref=store-chen-well-a1b2&utm_source=news";
    expect(clickPathSourceUrl(visited)).toBe(expected);
    expect(await sqlSourceUrl(`https://syntropyhealth.bio${visited}`)).toBe(expected);
  });

  it("redacts UTM values that look like an e-mail address or a phone number", async () => {
    const visited =
      "/r/store-chen-well-a1b2?utm_source=newsletter&utm_content=jane%40example.com&utm_term=%2B1%20555%20123%204567&channel=qr";
    const expected = `https://syntropyhealth.bio/r/store-chen-well-a1b2?channel=qr&utm_source=newsletter&utm_term=${REDACTED_VALUE}&utm_content=${REDACTED_VALUE}`;
    expect(clickPathSourceUrl(visited)).toBe(expected);
    // (the migration keeps the stored order of the parameters, the click path writes its own)
    expect(parametersOf(await sqlSourceUrl(`https://syntropyhealth.bio${visited}`)).sort()).toEqual(
      parametersOf(expected).sort(),
    );
  });

  it("drops click ids of ad networks, session tokens and unknown parameters, keeps the first of a repeated one", async () => {
    const visited =
      "/r/store-chen-well-a1b2?gclid=abc&fbclid=def&msclkid=x&ttclid=y&token=secret&utm_source=instagram&utm_source=other&utm_id=7";
    const expected = "https://syntropyhealth.bio/r/store-chen-well-a1b2?utm_source=instagram";
    expect(clickPathSourceUrl(visited)).toBe(expected);
    expect(await sqlSourceUrl(`https://syntropyhealth.bio${visited}`)).toBe(expected);
  });

  it("keeps a URL without a query, and drops a fragment in the migration", async () => {
    expect(clickPathSourceUrl("/r/store-chen-well-a1b2")).toBe(
      "https://syntropyhealth.bio/r/store-chen-well-a1b2",
    );
    expect(await sqlSourceUrl("https://syntropyhealth.bio/r/store-chen-well-a1b2?x=1#jane")).toBe(
      "https://syntropyhealth.bio/r/store-chen-well-a1b2",
    );
  });

  it("agrees with the migration on random URLs (same kept parameters and values)", async () => {
    const name = fc.constantFrom(
      "ref",
      "channel",
      "utm_source",
      "utm_medium",
      "utm_campaign",
      "utm_term",
      "utm_content",
      "email",
      "gclid",
      "phone",
    );
    const value = fc.oneof(
      fc.constantFrom("news", "instagram", "qr", "link", "jane@example.com", "+1 555 123 4567"),
      fc.stringMatching(/^[a-z0-9@.+\- ]{1,20}$/),
      fc.emailAddress(),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(name, value), { maxLength: 8 }), async (pairs) => {
        const query = new URLSearchParams(pairs).toString();
        const visited = `/r/store-chen-well-a1b2${query ? `?${query}` : ""}`;
        const fromClickPath = clickPathSourceUrl(visited);
        const fromMigration = await sqlSourceUrl(`https://syntropyhealth.bio${visited}`);
        // Cleaning twice changes nothing (the batch command relies on it to finish).
        expect(await sqlSourceUrl(fromMigration)).toBe(fromMigration);
        // The click path drops values its schema refuses (a channel that is not one of the
        // four, a ref that is not a code, a value that is blank once cleaned): compare on those
        // the click path keeps, and require the migration to keep nothing more personal.
        const kept = new Map(parametersOf(fromMigration));
        for (const [key, keptValue] of parametersOf(fromClickPath)) {
          expect(kept.get(key)).toBe(keptValue);
        }
        for (const [key, keptValue] of kept) {
          expect(["ref", "channel"].includes(key) || !looksLikeContactDetails(keptValue)).toBe(
            true,
          );
          expect(key).toMatch(/^(ref|channel|utm_(source|medium|campaign|term|content))$/);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("the migration, on rows stored before it", () => {
  it("cleans source URLs and UTM values, and leaves clean rows alone", async () => {
    // GIVEN rows of the old shape (a whole query string kept, an e-mail in utm_content)
    const { rows: stores } = await db.pool.query<{ id: number }>(
      `INSERT INTO "Store" ("shopDomain", "name", "slug", "referralCode", "status")
       VALUES ('migration-' || gen_random_uuid() || '.myshopify.com', 'Old', gen_random_uuid()::text,
               'store-old-' || substr(md5(random()::text), 1, 4) || substr(md5(random()::text), 1, 8), 'active')
       RETURNING "id"`,
    );
    const storeId = stores[0]!.id;
    await db.pool.query(
      `INSERT INTO "StoreReferral" ("storeId", "referralCode", "sourceUrl", "utmParams", "createdAt")
       VALUES ($1, 'store-old', 'https://syntropyhealth.bio/?ref=store-old&email=jane@example.com&utm_source=news&utm_content=jane%40example.com',
               '{"utm_source": "news", "utm_content": "jane@example.com"}', now() - interval '2 days'),
              ($1, 'store-old', 'https://syntropyhealth.bio/r/store-old?utm_source=instagram', '{"utm_source": "instagram"}', now() - interval '2 days'),
              ($1, 'store-old', NULL, NULL, now() - interval '2 days')`,
      [storeId],
    );
    // WHEN the migration's UPDATE runs
    const update = migrationStatements("20261202130000_privacy_lifecycle").find((statement) =>
      statement.startsWith("UPDATE"),
    )!;
    await db.pool.query(update);
    // THEN nothing of Jane is left, and the other rows are as they were
    const { rows } = await db.pool.query<{ sourceUrl: string | null; utmParams: unknown }>(
      `SELECT "sourceUrl", "utmParams" FROM "StoreReferral" WHERE "storeId" = $1 ORDER BY "sourceUrl" NULLS LAST`,
      [storeId],
    );
    expect(rows).toEqual([
      {
        sourceUrl: "https://syntropyhealth.bio/?ref=store-old&utm_source=news&utm_content=redacted",
        utmParams: { utm_source: "news", utm_content: "redacted" },
      },
      {
        sourceUrl: "https://syntropyhealth.bio/r/store-old?utm_source=instagram",
        utmParams: { utm_source: "instagram" },
      },
      { sourceUrl: null, utmParams: null },
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/jane/);
  });

  it("leaves the last hour's rows (the click path may be upserting them) to minimise-stored-urls", async () => {
    // GIVEN a row of the old shape written a minute ago (an instance of the previous release)
    const { rows: stores } = await db.pool.query<{ id: number }>(
      `INSERT INTO "Store" ("shopDomain", "name", "slug", "referralCode", "status")
       VALUES ('recent-' || gen_random_uuid() || '.myshopify.com', 'Recent', gen_random_uuid()::text,
               'store-new-' || substr(md5(random()::text), 1, 12), 'active')
       RETURNING "id"`,
    );
    const storeId = stores[0]!.id;
    await db.pool.query(
      `INSERT INTO "StoreReferral" ("storeId", "referralCode", "sourceUrl", "utmParams", "createdAt")
       VALUES ($1, 'store-new', 'https://syntropyhealth.bio/r/store-new?utm_term=%2B15551234567&gclid=x',
               '{"utm_term": "+15551234567"}', now() - interval '1 minute')`,
      [storeId],
    );
    const stored = () =>
      db.pool
        .query(`SELECT "sourceUrl", "utmParams" FROM "StoreReferral" WHERE "storeId" = $1`, [
          storeId,
        ])
        .then((result) => result.rows);
    // WHEN the migration's UPDATE runs, THEN the row is untouched
    const update = migrationStatements("20261202130000_privacy_lifecycle").find((statement) =>
      statement.startsWith("UPDATE"),
    )!;
    await db.pool.query(update);
    expect((await stored())[0].sourceUrl).toContain("gclid");
    // WHEN the operator runs the batch command, THEN it is clean, and a second run finds nothing
    const first = await runPrivacy("minimise-stored-urls");
    expect(first).toMatchObject({ code: 0 });
    expect(await stored()).toEqual([
      {
        sourceUrl: "https://syntropyhealth.bio/r/store-new?utm_term=redacted",
        utmParams: { utm_term: "redacted" },
      },
    ]);
    // (other test files write rows meanwhile: only this row is checked)
    expect((await runPrivacy("minimise-stored-urls")).out).toMatch(
      /^Cleaned \d+ stored source URLs\.$/,
    );
  });
});
