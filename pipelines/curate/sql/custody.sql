-- curated.custody: typed custody rows of drop $drop_as_of with an arrest on or before $as_of.
CREATE OR REPLACE TABLE curated.custody AS
WITH source AS (
  SELECT * FROM raw.custody WHERE drop_as_of = $drop_as_of::DATE
),
renamed AS (
  SELECT
    trim(custody_ref) AS custody_ref,
    trim(occasion_ref) AS occasion_ref,
    CAST(trim(arrest_datetime) AS TIMESTAMP) AS arrest_datetime,
    trim(arrest_offence_code) AS arrest_offence_code,
    upper(trim(custody_outcome)) AS custody_outcome,
    curated.clean_text(crime_ref) AS crime_ref,
    trim(person_ref) AS person_ref,
    curated.clean_text(pnc_id) AS pnc_id,
    curated.pnc_norm(pnc_id, $as_of::DATE) AS pnc_id_norm,
    curated.clean_text(surname) AS surname,
    curated.clean_text(forenames) AS forenames,
    CAST(nullif(trim(date_of_birth), '') AS DATE) AS date_of_birth,
    upper(nullif(trim(sex), '')) AS sex,
    upper(nullif(trim(ethnicity), '')) AS ethnicity,
    source_file,
    line
  FROM source
),
final AS (
  SELECT r.* EXCLUDE (pnc_id_norm, source_file, line),
    r.pnc_id_norm,
    (r.pnc_id IS NOT NULL AND r.pnc_id_norm IS NULL) AS pnc_invalid,
    md5('custody|' || r.person_ref) AS identity_id,
    curated.under_18(r.date_of_birth, r.arrest_datetime::DATE) AS under_18,
    coalesce(o.mopi_group, curated.mopi_default()) AS mopi_group,
    r.source_file,
    r.line
  FROM renamed r
  LEFT JOIN curated.offence o ON o.offence_code = r.arrest_offence_code AND o.offence_ref IS NULL
  WHERE r.arrest_datetime::DATE <= $as_of::DATE
)
SELECT * FROM final;
