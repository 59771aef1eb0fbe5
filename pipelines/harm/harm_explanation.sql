-- score.harm_explanation: one row per (nominal, crime record) where the nominal is SUSPECT/OFFENDER and
-- the record is inside the look-back. Same rules as graph/harm/nominal-harm.ts (cross-checked by test).
CREATE SCHEMA IF NOT EXISTS score;
CREATE OR REPLACE TABLE score.harm_explanation AS
WITH source AS (
  SELECT ns.nominal_id, i.source, i.record_ref, i.identity_id, i.role, i.outcome, i.offence_code,
         i.offence_ref, i.record_date, i.handling_code,
         greatest(date_diff('day', i.record_date, $as_of::DATE), 0) AS age_days
  FROM curated.involvement AS i
  JOIN person.nominal_sources AS ns ON ns.identity_id = i.identity_id
  WHERE i.source = 'crime' AND i.role IN ('SUSPECT', 'OFFENDER')
),
classified AS (
  SELECT *,
         CASE WHEN outcome IN ('CONVICTED', 'CHARGED', 'CAUTIONED') THEN 'proven'
              WHEN outcome IN ('NFA', 'ACQUITTED') THEN 'zero'
              ELSE 'alleged' END AS outcome_class   -- UNDER_INVESTIGATION, NONE or NULL: open, alleged
  FROM source
  WHERE age_days <= $lookback_years::DOUBLE * 365.25::DOUBLE
),
ranked AS (
  SELECT *,
         row_number() OVER (
           PARTITION BY nominal_id, record_ref
           ORDER BY CASE outcome_class WHEN 'proven' THEN 2 WHEN 'alleged' THEN 1 ELSE 0 END DESC, identity_id, role, coalesce(outcome, '')
         ) AS rn
  FROM classified
),
weighted AS (
  SELECT r.*, o.cchi_days, o.cchi_rule, o.classification_code,
         CASE WHEN o.ons_status = 'found' THEN o.ons_weight END AS ons_weight,
         pow($decay_per_year::DOUBLE, r.age_days / 365.25::DOUBLE) AS decay_factor,
         CASE r.outcome_class WHEN 'proven' THEN 1.0::DOUBLE WHEN 'alleged' THEN $alleged_weight::DOUBLE ELSE 0.0::DOUBLE END AS outcome_factor
  FROM ranked AS r
  LEFT JOIN curated.offence AS o
    ON o.offence_code IS NOT DISTINCT FROM r.offence_code AND o.offence_ref IS NOT DISTINCT FROM r.offence_ref
  WHERE r.rn = 1
),
decayed AS (
  SELECT *,
         round(cchi_days * decay_factor * 65536.0) / 65536.0 AS decayed_cchi,   -- 2^-16 grid
         round(ons_weight * decay_factor * 65536.0) / 65536.0 AS decayed_ons
  FROM weighted
)
SELECT $as_of::DATE AS as_of, nominal_id, source, record_ref, identity_id, role, outcome, outcome_class,
       offence_code, offence_ref, classification_code, record_date, age_days, handling_code,
       cchi_days, cchi_rule, ons_weight, decay_factor, outcome_factor, decayed_cchi, decayed_ons,
       round(decayed_cchi * outcome_factor * 1048576.0) / 1048576.0 AS contribution_cchi,  -- 2^-20 grid
       round(decayed_ons * outcome_factor * 1048576.0) / 1048576.0 AS contribution_ons
FROM decayed;
