-- curated.offence: every distinct (offence_code, offence_ref) in the as-at rows, joined to CCHI and ONS CSS.
-- Rule: offence_ref matching athena_urn or a cjs code of a CCHI row with that HO code → 'offence_ref';
-- else an HO code with one CCHI value → 'single'; several values → 'ho_code_max' (the maximum); none → 'unknown'.
CREATE OR REPLACE TABLE curated.offence AS
WITH source AS (
  SELECT trim(ho_offence_code) AS offence_code, upper(curated.clean_text(offence_ref)) AS offence_ref
  FROM raw.crime WHERE drop_as_of = $drop_as_of::DATE AND CAST(trim(recorded_date) AS DATE) <= $as_of::DATE
  UNION
  SELECT trim(arrest_offence_code), NULL
  FROM raw.custody WHERE drop_as_of = $drop_as_of::DATE AND CAST(trim(arrest_datetime) AS TIMESTAMP)::DATE <= $as_of::DATE
  UNION
  SELECT trim(index_offence_code), NULL
  FROM raw.pins WHERE drop_as_of = $drop_as_of::DATE AND CAST(trim(reception_date) AS DATE) <= $as_of::DATE
    AND nullif(trim(index_offence_code), '') IS NOT NULL
),
cchi AS (
  SELECT home_office_classification AS offence_code, upper(athena_urn) AS urn,
         list_transform(string_split(upper(coalesce(cjs_codes, '')), ';'), x -> trim(x)) AS cjs,
         cchi_score_days, classification_code, "group" AS cchi_group, sub_group AS cchi_sub_group, athena_urn
  FROM ref.cchi
),
per_code AS (
  SELECT offence_code, count(DISTINCT cchi_score_days) AS n_values FROM cchi GROUP BY offence_code
),
candidates AS (
  SELECT s.offence_code, s.offence_ref, c.cchi_score_days, c.classification_code, c.cchi_group, c.cchi_sub_group, c.athena_urn,
         (s.offence_ref IS NOT NULL AND (c.urn = s.offence_ref OR list_contains(c.cjs, s.offence_ref))) AS ref_match
  FROM source s JOIN cchi c USING (offence_code)
),
ranked AS (
  SELECT *, bool_or(ref_match) OVER (PARTITION BY offence_code, offence_ref) AS any_ref_match,
         row_number() OVER (PARTITION BY offence_code, offence_ref ORDER BY ref_match DESC, cchi_score_days DESC, athena_urn) AS rn
  FROM candidates
),
picked AS (
  SELECT r.offence_code, r.offence_ref, r.cchi_score_days AS cchi_days,
         CASE WHEN r.any_ref_match THEN 'offence_ref' WHEN p.n_values = 1 THEN 'single' ELSE 'ho_code_max' END AS cchi_rule,
         r.classification_code, r.cchi_group, r.cchi_sub_group, r.athena_urn AS cchi_athena_urn
  FROM ranked r JOIN per_code p USING (offence_code) WHERE r.rn = 1
),
ons AS (
  SELECT prc_offence_code, max(css_weight) AS css_weight FROM ref.ons_css GROUP BY prc_offence_code
),
final AS (
  SELECT s.offence_code, s.offence_ref, p.cchi_days, coalesce(p.cchi_rule, 'unknown') AS cchi_rule,
         p.classification_code, o.css_weight AS ons_weight,
         CASE WHEN o.css_weight IS NULL THEN 'missing' ELSE 'found' END AS ons_status,
         p.cchi_group, p.cchi_sub_group, p.cchi_athena_urn,
         coalesce(
           (SELECT m.mopi_group FROM ref.mopi_group m WHERE m.key_type = 'cchi_sub_group' AND m.key = p.cchi_sub_group),
           (SELECT m.mopi_group FROM ref.mopi_group m WHERE m.key_type = 'cchi_group' AND m.key = p.cchi_group),
           curated.mopi_default()) AS mopi_group
  FROM source s
  LEFT JOIN picked p ON p.offence_code = s.offence_code AND coalesce(p.offence_ref, '') = coalesce(s.offence_ref, '')
  LEFT JOIN ons o ON o.prc_offence_code = p.classification_code
)
SELECT * FROM final ORDER BY offence_code, offence_ref NULLS FIRST;
