-- curated.pins: typed prisoner rows of drop $drop_as_of received on or before $as_of; an actual
-- release after $as_of was not known then, so it is blanked.
CREATE OR REPLACE TABLE curated.pins AS
WITH source AS (
  SELECT * FROM raw.pins WHERE drop_as_of = $drop_as_of::DATE
),
renamed AS (
  SELECT
    trim(prison_number) AS prison_number,
    curated.clean_text(establishment) AS establishment,
    CAST(trim(reception_date) AS DATE) AS reception_date,
    CAST(nullif(trim(expected_release_date), '') AS DATE) AS expected_release_date,
    CAST(nullif(trim(actual_release_date), '') AS DATE) AS actual_release_date,
    CAST(nullif(trim(licence_end_date), '') AS DATE) AS licence_end_date,
    nullif(trim(index_offence_code), '') AS index_offence_code,
    coalesce(nullif(trim(person_ref), ''), trim(prison_number)) AS person_ref,
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
  SELECT r.* EXCLUDE (pnc_id_norm, actual_release_date, source_file, line),
    CASE WHEN r.actual_release_date > $as_of::DATE THEN NULL ELSE r.actual_release_date END AS actual_release_date,
    r.pnc_id_norm,
    (r.pnc_id IS NOT NULL AND r.pnc_id_norm IS NULL) AS pnc_invalid,
    md5('pins|' || r.person_ref) AS identity_id,
    curated.under_18(r.date_of_birth, r.reception_date) AS under_18,
    coalesce(o.mopi_group, curated.mopi_default()) AS mopi_group,
    r.source_file,
    r.line
  FROM renamed r
  LEFT JOIN curated.offence o ON o.offence_code = r.index_offence_code AND o.offence_ref IS NULL
  WHERE r.reception_date <= $as_of::DATE
)
SELECT * FROM final;
