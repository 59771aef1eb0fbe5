-- person.identity / person.identity_feature / person.identity_flag: the comparison-ready form of
-- curated.identity. Ethnicity is deliberately never selected (safeguard 3).

CREATE OR REPLACE TEMP TABLE hn_variant AS
WITH source_rows AS (
  SELECT identity_id, source, person_ref, pnc_id_norm, pnc_invalid, surname, forenames,
         date_of_birth, sex, first_seen, last_seen, n_records
  FROM curated.identity
),
renamed AS (
  SELECT
    identity_id, source, person_ref, surname, forenames, first_seen, last_seen,
    coalesce(n_records, 1) AS n_records,
    hn_clean(surname) AS sn_clean,
    hn_clean(forenames) AS fn_clean,
    CASE WHEN date_of_birth < DATE '1900-01-01' OR date_of_birth > CAST($as_of AS DATE) THEN NULL
         ELSE date_of_birth END AS dob,
    (date_of_birth < DATE '1900-01-01' OR date_of_birth > CAST($as_of AS DATE)) AS dob_out_of_range,
    CASE WHEN upper(trim(sex)) IN ('M', 'F') THEN upper(trim(sex)) END AS sex,
    CASE WHEN coalesce(pnc_invalid, false) THEN NULL ELSE nullif(trim(pnc_id_norm), '') END AS pnc,
    coalesce(pnc_invalid, false) AS pnc_invalid
  FROM source_rows
)
SELECT *, replace(sn_clean, ' ', '') AS sn_full, nullif(split_part(fn_clean, ' ', 1), '') AS fn_first FROM renamed;

-- Names that share a canonical name (BILL–WILLIAM, BILL–WILL, JACK–JOHN, JACK–JACOB): one hash join
-- per pair instead of list work.
CREATE OR REPLACE TABLE person.nickname_pair AS
WITH names AS (
  SELECT canonical, nickname AS name FROM person.nickname
  UNION SELECT canonical, canonical FROM person.nickname
)
SELECT DISTINCT x.name AS name_a, y.name AS name_b FROM names x JOIN names y ON x.canonical = y.canonical AND x.name <> y.name;

CREATE OR REPLACE TABLE person.identity AS
SELECT
  row_number() OVER (ORDER BY identity_id) AS iid,
  identity_id,
  min(source) AS source,
  min(person_ref) AS person_ref,
  sum(n_records) AS n_records,
  min(first_seen) AS first_seen,
  max(last_seen) AS last_seen
FROM hn_variant
GROUP BY identity_id;

CREATE OR REPLACE TABLE person.identity_flag AS
SELECT DISTINCT identity_id, flag FROM (
  SELECT identity_id, 'dob_out_of_range' AS flag FROM hn_variant WHERE dob_out_of_range
  UNION ALL SELECT identity_id, 'pnc_invalid' FROM hn_variant WHERE pnc_invalid
  UNION ALL SELECT identity_id, 'surname_missing' FROM hn_variant WHERE sn_full IS NULL
  UNION ALL SELECT identity_id, 'surname_one_letter' FROM hn_variant WHERE length(sn_full) = 1
  UNION ALL SELECT identity_id, 'forenames_missing' FROM hn_variant WHERE fn_first IS NULL
)
ORDER BY identity_id, flag;

CREATE OR REPLACE TABLE person.identity_feature AS
WITH distinct_variants AS (
  SELECT i.iid, v.identity_id, v.sn_clean, v.fn_clean, v.dob, v.sex, v.pnc, sum(v.n_records) AS n_records
  FROM hn_variant v JOIN person.identity i USING (identity_id)
  GROUP BY ALL
),
words AS (
  SELECT *,
    replace(sn_clean, ' ', '') AS sn_full,
    -- surname parts of two letters or more (the O of O NEILL is not a part)
    nullif(trim(regexp_replace(regexp_replace(' ' || sn_clean || ' ', ' [A-Z] ', ' ', 'g'), ' [A-Z] ', ' ', 'g')), '') AS sn_part_text,
    nullif(split_part(fn_clean, ' ', 1), '') AS fn_first
  FROM distinct_variants
),
canon AS (
  SELECT d.fn_first, min(n.canonical) AS fn_key
  FROM (SELECT DISTINCT fn_first FROM words WHERE fn_first IS NOT NULL) d
  JOIN person.nickname n ON n.nickname = d.fn_first
  GROUP BY d.fn_first
),
-- phonetic keys once per distinct name, not per row
sn_phonetic AS (SELECT sn_full, hn_phonetic(sn_full) AS sn_phon FROM (SELECT DISTINCT sn_full FROM words WHERE sn_full IS NOT NULL)),
fn_phonetic AS (SELECT fn_first, hn_phonetic(fn_first) AS fn_phon FROM (SELECT DISTINCT fn_first FROM words WHERE fn_first IS NOT NULL))
SELECT
  row_number() OVER (ORDER BY v.iid, v.sn_clean, v.fn_clean, v.dob, v.sex, v.pnc) AS cr_id,
  v.iid, v.identity_id, v.sn_full, sp.sn_phon,
  '|' || replace(coalesce(v.sn_part_text, v.sn_full), ' ', '|') || '|' AS sn_words,
  coalesce(contains(v.sn_part_text, ' '), false) AS sn_multi,
  coalesce(split_part(v.sn_part_text, ' ', 1), v.sn_full) AS sn_first,
  coalesce(regexp_extract(v.sn_part_text, '([A-Z]+)$', 1), v.sn_full) AS sn_last,
  v.fn_first, fp.fn_phon,
  v.fn_clean AS fn_all,
  '|' || replace(v.fn_clean, ' ', '|') || '|' AS fn_words,
  CASE WHEN v.fn_clean IS NULL THEN 0 ELSE length(v.fn_clean) - length(replace(v.fn_clean, ' ', '')) + 1 END AS fn_n,
  coalesce(c.fn_key, v.fn_first) AS fn_key,
  v.dob,
  CASE WHEN v.dob IS NULL THEN NULL
       ELSE year(v.dob) || '-' || least(month(v.dob), day(v.dob)) || '-' || greatest(month(v.dob), day(v.dob)) END AS dob_key,
  year(v.dob) AS dob_year,
  month(v.dob) AS dob_month,
  v.sex, v.pnc, v.n_records
FROM words v
LEFT JOIN canon c USING (fn_first)
LEFT JOIN sn_phonetic sp USING (sn_full)
LEFT JOIN fn_phonetic fp USING (fn_first);
