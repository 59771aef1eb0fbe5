-- curated schema and the helper macros the per-source models share.
CREATE SCHEMA IF NOT EXISTS curated;

-- Trimmed text, with inner runs of whitespace collapsed; empty → NULL.
CREATE OR REPLACE MACRO curated.clean_text(v) AS nullif(regexp_replace(trim(v), '\s+', ' ', 'g'), '');

-- Police National Computer id normalised to YYYY/NNNNNNNL, or NULL when it does not have that form.
-- Accepts spaces, lower case, a 2-digit year (20yy when yy <= the as-at year's yy, else 19yy) and a
-- serial of 1-7 digits (zero-padded). The check character is NOT verified (see docs/curation.md).
CREATE OR REPLACE MACRO curated.pnc_norm(p, as_of) AS (
  CASE WHEN regexp_full_match(upper(regexp_replace(coalesce(p, ''), '\s', '', 'g')), '(\d{2}|\d{4})/\d{1,7}[A-Z]')
  THEN (
    SELECT CASE WHEN y4 BETWEEN 1900 AND year(as_of) THEN printf('%04d/%s%s', y4, lpad(serial, 7, '0'), chk) END
    FROM (
      SELECT CASE WHEN length(yy) = 4 THEN yy::INTEGER
                  WHEN yy::INTEGER <= year(as_of) % 100 THEN 2000 + yy::INTEGER
                  ELSE 1900 + yy::INTEGER END AS y4, serial, chk
      FROM (SELECT regexp_extract(s, '^(\d+)/', 1) AS yy, regexp_extract(s, '/(\d+)', 1) AS serial, right(s, 1) AS chk
            FROM (SELECT upper(regexp_replace(p, '\s', '', 'g')) AS s))
    )
  ) END
);

-- Age under 18 on the record date (NULL when the date of birth is unknown).
CREATE OR REPLACE MACRO curated.under_18(dob, on_date) AS CASE WHEN dob IS NULL OR on_date IS NULL THEN NULL ELSE on_date < dob + INTERVAL 18 YEAR END;

-- MOPI group for a record without an offence code, by intelligence topic or the default row.
CREATE OR REPLACE MACRO curated.mopi_default() AS (SELECT mopi_group FROM ref.mopi_group WHERE key_type = 'default');
