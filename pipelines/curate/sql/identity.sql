-- curated.identity: one row per source identity variant (same source + person_ref share identity_id;
-- each distinct combination of identity fields is a variant). Rebuilt after retention too.
CREATE OR REPLACE TABLE curated.identity AS
WITH source AS (
  SELECT 'crime' AS source, person_ref, pnc_id, pnc_id_norm, pnc_invalid, surname, forenames, date_of_birth, sex, ethnicity, committed_date AS record_date FROM curated.crime
  UNION ALL SELECT 'custody', person_ref, pnc_id, pnc_id_norm, pnc_invalid, surname, forenames, date_of_birth, sex, ethnicity, arrest_datetime::DATE FROM curated.custody
  UNION ALL SELECT 'intel', person_ref, pnc_id, pnc_id_norm, pnc_invalid, surname, forenames, date_of_birth, sex, ethnicity, submitted_date FROM curated.intel
  UNION ALL SELECT 'pins', person_ref, pnc_id, pnc_id_norm, pnc_invalid, surname, forenames, date_of_birth, sex, ethnicity, reception_date FROM curated.pins
  UNION ALL SELECT 'missing', person_ref, pnc_id, pnc_id_norm, pnc_invalid, surname, forenames, date_of_birth, sex, ethnicity, reported_datetime::DATE FROM curated.missing
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
