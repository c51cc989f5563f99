-- The privacy lifecycle (issue 13, docs/privacy.md).
-- Prisma's driver adapter splits a migration on every semicolon and runs each statement on its
-- own: no semicolon may appear inside a statement (nor in these comments), hence SQL functions.

-- Erased referred users: the row stays as an anonymous, still counted event (nullable, no backfill).
ALTER TABLE "StoreReferral" ADD COLUMN "erasedAt" TIMESTAMPTZ(3);

-- Minimisation of the rows stored before, by the rules of app/lib/privacy/source-url.server.ts
-- (its tests run this file against rows of the old shape and compare both): a click's source URL
-- keeps its path and the parameters ref, channel and utm_* (the first of each), and a UTM value
-- that looks like an e-mail address or a phone number becomes "redacted", in the URL and in
-- utmParams. Only rows that change are written. The helpers are dropped at the end.

-- The characters the detection looks at, percent-decoded (a full decoding could fail on bytes
-- that are not UTF-8, which a SQL function cannot catch).
CREATE FUNCTION "_privacy_detection_text"(value text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
           regexp_replace(replace(value, '+', ' '), '%20', ' ', 'g'),
           '%40', '@', 'gi'), '%2B', '+', 'gi'), '%28', '(', 'g'), '%29', ')', 'g'),
           '%2F', '/', 'gi'), '%2E', '.', 'gi')
$$;

CREATE FUNCTION "_privacy_looks_like_contact_details"(value text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
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

CREATE FUNCTION "_privacy_minimised_source_url"(url text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN url IS NULL OR strpos(url, '?') = 0 THEN split_part(url, '#', 1) ELSE
    split_part(url, '?', 1) || coalesce('?' || (
      SELECT string_agg(kept.name || '=' || kept.value, '&' ORDER BY kept.rank)
      FROM (
        SELECT DISTINCT ON (pair.name) pair.name, pair.rank,
               CASE WHEN pair.name LIKE 'utm\_%'
                         AND "_privacy_looks_like_contact_details"("_privacy_detection_text"(pair.value))
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

CREATE FUNCTION "_privacy_minimised_utm_params"(utm jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN utm IS NULL OR jsonb_typeof(utm) <> 'object' THEN utm ELSE
    (SELECT coalesce(jsonb_object_agg(key, CASE
              WHEN jsonb_typeof(value) = 'string' AND "_privacy_looks_like_contact_details"(value #>> '{}')
              THEN to_jsonb('redacted'::text) ELSE value END), '{}'::jsonb)
       FROM jsonb_each(utm))
  END
$$;

UPDATE "StoreReferral"
   SET "sourceUrl" = "_privacy_minimised_source_url"("sourceUrl"),
       "utmParams" = "_privacy_minimised_utm_params"("utmParams")
 WHERE ("sourceUrl" IS NOT NULL AND "sourceUrl" IS DISTINCT FROM "_privacy_minimised_source_url"("sourceUrl"))
    OR ("utmParams" IS NOT NULL AND "utmParams" IS DISTINCT FROM "_privacy_minimised_utm_params"("utmParams"));

DROP FUNCTION "_privacy_minimised_utm_params"(jsonb);
DROP FUNCTION "_privacy_minimised_source_url"(text);
DROP FUNCTION "_privacy_looks_like_contact_details"(text);
DROP FUNCTION "_privacy_detection_text"(text);
