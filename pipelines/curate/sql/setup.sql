-- curated schema and the helper macros the per-source models share.
CREATE SCHEMA IF NOT EXISTS curated;

-- Trimmed text; empty → NULL. (Inner spacing is left to entity resolution's own normalisation.)
CREATE OR REPLACE MACRO curated.clean_text(v) AS nullif(trim(v), '');

-- Police National Computer id normalised to YYYY/NNNNNNNL, or NULL when it does not have that form.
-- Accepts spaces, lower case, a 2-digit year (20yy when yy <= the as-at year's yy, else 19yy) and a
-- serial of 1-7 digits (zero-padded). The check character is NOT verified (see docs/curation.md).
-- Plain vectorised expressions (no subqueries): this runs on every row of every source.
CREATE OR REPLACE MACRO curated.pnc_clean(p) AS upper(replace(p, ' ', ''));
CREATE OR REPLACE MACRO curated.pnc_year(s, as_of) AS (
  CASE WHEN length(split_part(s, '/', 1)) = 4 THEN TRY_CAST(split_part(s, '/', 1) AS INTEGER)
       WHEN TRY_CAST(split_part(s, '/', 1) AS INTEGER) <= year(as_of) % 100 THEN 2000 + TRY_CAST(split_part(s, '/', 1) AS INTEGER)
       ELSE 1900 + TRY_CAST(split_part(s, '/', 1) AS INTEGER) END);
CREATE OR REPLACE MACRO curated.pnc_norm_clean(s, as_of) AS (
  CASE WHEN regexp_full_match(s, '(\d{2}|\d{4})/\d{1,7}[A-Z]') AND curated.pnc_year(s, as_of) BETWEEN 1900 AND year(as_of)
       THEN lpad(CAST(curated.pnc_year(s, as_of) AS VARCHAR), 4, '0') || '/' || lpad(split_part(left(s, -1), '/', 2), 7, '0') || right(s, 1) END);
CREATE OR REPLACE MACRO curated.pnc_norm(p, as_of) AS curated.pnc_norm_clean(curated.pnc_clean(p), as_of);

-- Age under 18 on the record date (NULL when the date of birth is unknown).
CREATE OR REPLACE MACRO curated.under_18(dob, on_date) AS CASE WHEN dob IS NULL OR on_date IS NULL THEN NULL ELSE on_date < dob + INTERVAL 18 YEAR END;

-- MOPI group for a record without an offence code, by intelligence topic or the default row.
CREATE OR REPLACE MACRO curated.mopi_default() AS (SELECT mopi_group FROM ref.mopi_group WHERE key_type = 'default');
