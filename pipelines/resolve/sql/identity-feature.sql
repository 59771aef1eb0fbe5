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
    hn_letters(surname) AS sn_full,
    list_filter(hn_words(surname), w -> length(w) >= 2) AS sn_parts,
    hn_words(forenames) AS fn_tokens,
    CASE WHEN date_of_birth < DATE '1900-01-01' OR date_of_birth > CAST($as_of AS DATE) THEN NULL
         ELSE date_of_birth END AS dob,
    (date_of_birth < DATE '1900-01-01' OR date_of_birth > CAST($as_of AS DATE)) AS dob_out_of_range,
    CASE WHEN upper(trim(sex)) IN ('M', 'F') THEN upper(trim(sex)) END AS sex,
    CASE WHEN coalesce(pnc_invalid, false) THEN NULL ELSE nullif(trim(pnc_id_norm), '') END AS pnc,
    coalesce(pnc_invalid, false) AS pnc_invalid
  FROM source_rows
)
SELECT *, fn_tokens[1] AS fn_first FROM renamed;

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
  SELECT i.iid, v.identity_id, v.sn_full, v.sn_parts, v.fn_first, v.fn_tokens, v.dob, v.sex, v.pnc,
         sum(v.n_records) AS n_records
  FROM hn_variant v JOIN person.identity i USING (identity_id)
  GROUP BY ALL
),
canon AS (
  SELECT d.fn_first, min(n.canonical) AS fn_key, list(DISTINCT n.canonical ORDER BY n.canonical) AS canonicals
  FROM (SELECT DISTINCT fn_first FROM distinct_variants WHERE fn_first IS NOT NULL) d
  JOIN person.nickname n ON n.nickname = d.fn_first
  GROUP BY d.fn_first
)
SELECT
  row_number() OVER (ORDER BY v.iid, v.sn_full, v.fn_first, v.dob, v.sex, v.pnc, CAST(v.fn_tokens AS VARCHAR)) AS cr_id,
  v.iid, v.identity_id, v.sn_full, v.sn_parts, hn_phonetic(v.sn_full) AS sn_phon,
  v.fn_first, v.fn_tokens, hn_phonetic(v.fn_first) AS fn_phon,
  coalesce(c.fn_key, v.fn_first) AS fn_key,
  CASE WHEN v.fn_first IS NULL THEN NULL
       ELSE list_distinct(list_concat([v.fn_first], coalesce(c.canonicals, []))) END AS fn_canon,
  v.dob,
  CASE WHEN v.dob IS NULL THEN NULL
       ELSE year(v.dob) || '-' || least(month(v.dob), day(v.dob)) || '-' || greatest(month(v.dob), day(v.dob)) END AS dob_key,
  year(v.dob) AS dob_year,
  month(v.dob) AS dob_month,
  v.sex, v.pnc, v.n_records
FROM distinct_variants v
LEFT JOIN canon c USING (fn_first);
