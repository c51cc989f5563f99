-- The privacy lifecycle (issue 13, docs/privacy.md).
-- Prisma's driver adapter splits a migration on every semicolon and runs each statement on its
-- own: no semicolon may appear inside a statement (nor in these comments), hence SQL functions.

-- Erased referred users: the row stays as an anonymous, still counted event (nullable, no backfill).
ALTER TABLE "StoreReferral" ADD COLUMN "erasedAt" TIMESTAMPTZ(3);

-- Minimisation of the rows stored before, by the rules of app/lib/privacy/source-url.server.ts
-- (its tests run this file against rows of the old shape and compare both): a click's source URL
-- keeps its path and the parameters ref, channel and utm_* (the first of each), and a UTM value
-- that looks like an e-mail address or a phone number becomes "redacted", in the URL and in
-- utmParams. The functions stay: `npm run privacy -- minimise-stored-urls` runs the same cleaning
-- in small batches (for rows written by instances of the previous release during a rolling deploy).

-- The characters the detection looks at, percent-decoded (a full decoding could fail on bytes
-- that are not UTF-8, which a SQL function cannot catch).
CREATE FUNCTION "privacy_detection_text"(value text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
           regexp_replace(replace(value, '+', ' '), '%20', ' ', 'g'),
           '%40', '@', 'gi'), '%2B', '+', 'gi'), '%28', '(', 'g'), '%29', ')', 'g'),
           '%2F', '/', 'gi'), '%2E', '.', 'gi')
$$;

CREATE FUNCTION "privacy_looks_like_contact_details"(value text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT value IS NOT NULL AND (
    value ~* '[^\s@]+(@|%40)[^\s@.]+\.[^\s@]+'
    OR EXISTS (
      SELECT 1
        FROM regexp_matches(value, '(\+?\(?\d[\d ()./-]*\d)', 'g') AS m(run)
       CROSS JOIN LATERAL (SELECT length(regexp_replace(m.run[1], '\D', '', 'g')) AS digits) d
       WHERE d.digits BETWEEN 7 AND 15
         AND m.run[1] !~ '^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$'
         AND (left(m.run[1], 1) = '+' OR d.digits >= 10 OR m.run[1] ~ '\d[ ()./-]+\d')
    )
  )
$$;

-- Whether a stored URL or UTM object may need cleaning: a cheap test, so that the functions below
-- do their work only for values with another parameter, a fragment, an at sign or 7 digits.
CREATE FUNCTION "privacy_may_need_minimising"(url text, utm jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT (url IS NOT NULL AND (url ~ '[?&](?!(ref|channel|utm_(source|medium|campaign|term|content))=)'
                               OR url ~ '(@|%40|#)' OR url ~ '(\d[^&=]*){7}'
                               OR url ~ '[?&](ref|channel|utm_[a-z]+)=.*&\1='))
      OR (utm IS NOT NULL AND utm::text ~ '(@|%40|(\d[^"]*){7})')
$$;

CREATE FUNCTION "privacy_minimised_source_url"(url text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN NOT "privacy_may_need_minimising"(url, NULL) THEN url
              WHEN strpos(url, '?') = 0 THEN split_part(url, '#', 1) ELSE
    split_part(url, '?', 1) || coalesce('?' || (
      SELECT string_agg(kept.name || '=' || kept.value, '&' ORDER BY kept.ordinal)
      FROM (
        SELECT DISTINCT ON (pair.name) pair.name, pair.ordinal,
               CASE WHEN pair.name LIKE 'utm\_%'
                         AND "privacy_looks_like_contact_details"("privacy_detection_text"(pair.value))
                    THEN 'redacted' ELSE pair.value END AS value
        FROM (
          SELECT split_part(part.text, '=', 1) AS name,
                 CASE WHEN strpos(part.text, '=') = 0 THEN ''
                      ELSE substr(part.text, strpos(part.text, '=') + 1) END AS value,
                 array_position(ARRAY['ref', 'channel', 'utm_source', 'utm_medium', 'utm_campaign',
                                      'utm_term', 'utm_content'],
                                split_part(part.text, '=', 1)) AS rank,
                 part.ordinal
          FROM unnest(string_to_array(split_part(split_part(url, '?', 2), '#', 1), '&'))
               WITH ORDINALITY AS part(text, ordinal)
        ) pair
        WHERE pair.rank IS NOT NULL AND pair.value <> ''
        ORDER BY pair.name, pair.ordinal
      ) kept
    ), '')
  END
$$;

CREATE FUNCTION "privacy_minimised_utm_params"(utm jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN NOT "privacy_may_need_minimising"(NULL, utm) OR jsonb_typeof(utm) <> 'object' THEN utm ELSE
    (SELECT coalesce(jsonb_object_agg(key, CASE
              WHEN jsonb_typeof(value) = 'string' AND "privacy_looks_like_contact_details"(value #>> '{}')
              THEN to_jsonb('redacted'::text) ELSE value END), '{}'::jsonb)
       FROM jsonb_each(utm))
  END
$$;

-- Only rows that may need it are written (a clean value is written back unchanged, cheaper than
-- cleaning each value twice to compare). The rows of the last hour are left to
-- `minimise-stored-urls`: the click path may be upserting them (one counted click per visitor
-- and hour), and this statement must never make it wait.
UPDATE "StoreReferral"
   SET "sourceUrl" = "privacy_minimised_source_url"("sourceUrl"),
       "utmParams" = "privacy_minimised_utm_params"("utmParams")
 WHERE "createdAt" < now() - interval '1 hour'
   AND "privacy_may_need_minimising"("sourceUrl", "utmParams")
