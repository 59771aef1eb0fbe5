-- curated.intel: reliable-graded intelligence rows of drop $drop_as_of submitted on or before $as_of.
-- Reliability: (grading_scheme, source_grade, intel_grade) must be in curated.reliability_policy.
-- Handling: 3x5x2 P/C kept; 5x5x5 code 1 → P, codes 2-5 → C (conditions apply); raw code kept.
CREATE OR REPLACE TABLE curated.intel AS
WITH source AS (
  SELECT * FROM raw.intel WHERE drop_as_of = $drop_as_of::DATE
),
renamed AS (
  SELECT
    trim(intel_ref) AS intel_ref,
    CAST(trim(submitted_date) AS DATE) AS submitted_date,
    lower(trim(grading_scheme)) AS grading_scheme,
    upper(trim(source_grade)) AS source_grade,
    upper(trim(intel_grade)) AS intel_grade,
    upper(trim(handling_code)) AS handling_code_raw,
    upper(trim(topic)) AS topic,
    upper(trim(mention_role)) AS mention_role,
    CAST(nullif(trim(latitude), '') AS DOUBLE) AS latitude,
    CAST(nullif(trim(longitude), '') AS DOUBLE) AS longitude,
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
  SELECT r.* EXCLUDE (pnc_id_norm, handling_code_raw, source_file, line),
    CASE WHEN r.grading_scheme = '3x5x2' THEN r.handling_code_raw
         WHEN r.handling_code_raw = '1' THEN 'P' ELSE 'C' END AS handling_code,
    r.handling_code_raw,
    r.pnc_id_norm,
    (r.pnc_id IS NOT NULL AND r.pnc_id_norm IS NULL) AS pnc_invalid,
    md5('intel|' || r.person_ref) AS identity_id,
    curated.under_18(r.date_of_birth, r.submitted_date) AS under_18,
    coalesce(m.mopi_group, curated.mopi_default()) AS mopi_group,
    r.source_file,
    r.line
  FROM renamed r
  SEMI JOIN curated.reliability_policy p
    ON p.grading_scheme = r.grading_scheme AND p.source_grade = r.source_grade AND p.intel_grade = r.intel_grade
  LEFT JOIN ref.mopi_group m ON m.key_type = 'intel_topic' AND m.key = r.topic
  WHERE r.submitted_date <= $as_of::DATE
)
SELECT * FROM final;
