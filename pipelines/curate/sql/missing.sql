-- curated.missing: typed missing-episode rows of drop $drop_as_of reported on or before $as_of; a
-- found time after $as_of was not known then, so it (and the found location) is blanked.
CREATE OR REPLACE TABLE curated.missing AS
WITH source AS (
  SELECT * FROM raw.missing WHERE drop_as_of = $drop_as_of::DATE
),
renamed AS (
  SELECT
    trim(episode_ref) AS episode_ref,
    CAST(trim(reported_datetime) AS TIMESTAMP) AS reported_datetime,
    CAST(nullif(trim(found_datetime), '') AS TIMESTAMP) AS found_datetime,
    upper(trim(risk_level)) AS risk_level,
    upper(trim(role)) AS role,
    CAST(nullif(trim(found_latitude), '') AS DOUBLE) AS found_latitude,
    CAST(nullif(trim(found_longitude), '') AS DOUBLE) AS found_longitude,
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
  SELECT r.* EXCLUDE (pnc_id_norm, found_datetime, found_latitude, found_longitude, source_file, line),
    CASE WHEN r.found_datetime::DATE > $as_of::DATE THEN NULL ELSE r.found_datetime END AS found_datetime,
    CASE WHEN r.found_datetime::DATE > $as_of::DATE THEN NULL ELSE r.found_latitude END AS found_latitude,
    CASE WHEN r.found_datetime::DATE > $as_of::DATE THEN NULL ELSE r.found_longitude END AS found_longitude,
    r.pnc_id_norm,
    (r.pnc_id IS NOT NULL AND r.pnc_id_norm IS NULL) AS pnc_invalid,
    md5('missing|' || r.person_ref) AS identity_id,
    curated.under_18(r.date_of_birth, r.reported_datetime::DATE) AS under_18,
    curated.mopi_default() AS mopi_group,
    r.source_file,
    r.line
  FROM renamed r
  WHERE r.reported_datetime::DATE <= $as_of::DATE
)
SELECT * FROM final;
