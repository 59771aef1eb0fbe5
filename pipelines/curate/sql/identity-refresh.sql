-- After retention: rebuilds the curated.identity rows of the source identities that lost records
-- (temp table retention_people). The aggregation must stay identical to identity.sql — the test
-- "retention leaves curated.identity equal to a full rebuild" checks it.
DELETE FROM curated.identity i USING retention_people p WHERE i.source = p.source AND i.person_ref = p.person_ref;

INSERT INTO curated.identity BY NAME
WITH source AS (
  SELECT 'crime' AS source, person_ref, pnc_id, pnc_id_norm, pnc_invalid, surname, forenames, date_of_birth, sex, ethnicity, committed_date AS record_date
  FROM curated.crime SEMI JOIN retention_people p ON p.source = 'crime' AND p.person_ref = curated.crime.person_ref
  UNION ALL SELECT 'custody', person_ref, pnc_id, pnc_id_norm, pnc_invalid, surname, forenames, date_of_birth, sex, ethnicity, arrest_datetime::DATE
  FROM curated.custody SEMI JOIN retention_people p ON p.source = 'custody' AND p.person_ref = curated.custody.person_ref
  UNION ALL SELECT 'intel', person_ref, pnc_id, pnc_id_norm, pnc_invalid, surname, forenames, date_of_birth, sex, ethnicity, submitted_date
  FROM curated.intel SEMI JOIN retention_people p ON p.source = 'intel' AND p.person_ref = curated.intel.person_ref
  UNION ALL SELECT 'pins', person_ref, pnc_id, pnc_id_norm, pnc_invalid, surname, forenames, date_of_birth, sex, ethnicity, reception_date
  FROM curated.pins SEMI JOIN retention_people p ON p.source = 'pins' AND p.person_ref = curated.pins.person_ref
  UNION ALL SELECT 'missing', person_ref, pnc_id, pnc_id_norm, pnc_invalid, surname, forenames, date_of_birth, sex, ethnicity, reported_datetime::DATE
  FROM curated.missing SEMI JOIN retention_people p ON p.source = 'missing' AND p.person_ref = curated.missing.person_ref
),
grouped AS (
  SELECT source, person_ref, pnc_id, pnc_id_norm, pnc_invalid, surname, forenames, date_of_birth, sex, ethnicity,
         min(record_date) AS first_seen, max(record_date) AS last_seen, count(*) AS n_records
  FROM source
  GROUP BY ALL
),
final AS (
  SELECT
    md5(source || '|' || person_ref) AS identity_id,
    md5(concat_ws(chr(31), source, person_ref, coalesce(pnc_id, chr(0)), coalesce(surname, chr(0)), coalesce(forenames, chr(0)),
        coalesce(CAST(date_of_birth AS VARCHAR), chr(0)), coalesce(sex, chr(0)), coalesce(ethnicity, chr(0)))) AS variant_id,
    * 
  FROM grouped
)
SELECT * FROM final;

DROP TABLE retention_people;
