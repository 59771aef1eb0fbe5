-- curated.crime: typed crime rows of drop $drop_as_of recorded on or before $as_of.
CREATE OR REPLACE TABLE curated.crime AS
WITH source AS (
  SELECT * FROM raw.crime WHERE drop_as_of = $drop_as_of::DATE
),
renamed AS (
  SELECT
    trim(crime_ref) AS crime_ref,
    trim(ho_offence_code) AS ho_offence_code,
    upper(curated.clean_text(offence_ref)) AS offence_ref,
    CAST(trim(committed_date) AS DATE) AS committed_date,
    CAST(trim(recorded_date) AS DATE) AS recorded_date,
    upper(trim(role)) AS role,
    upper(trim(person_outcome)) AS person_outcome,
    CAST(nullif(trim(latitude), '') AS DOUBLE) AS latitude,
    CAST(nullif(trim(longitude), '') AS DOUBLE) AS longitude,
    curated.clean_text(source_system) AS source_system,
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
    md5('crime|' || r.person_ref) AS identity_id,
    curated.under_18(r.date_of_birth, r.committed_date) AS under_18,
    coalesce(o.mopi_group, curated.mopi_default()) AS mopi_group,
    r.source_file,
    r.line
  FROM renamed r
  LEFT JOIN curated.offence o ON o.offence_code = r.ho_offence_code AND coalesce(o.offence_ref, '') = coalesce(r.offence_ref, '')
  WHERE r.recorded_date <= $as_of::DATE
)
SELECT * FROM final;
