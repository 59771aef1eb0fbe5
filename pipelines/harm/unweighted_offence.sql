-- score.unweighted_offence: offence codes this run could not weigh (no CCHI days / no ONS CSS weight),
-- with how many explanation rows and nominals each affects. Those contributions are NULL, never 0.
CREATE OR REPLACE TABLE score.unweighted_offence AS
WITH missing AS (
  SELECT 'cchi' AS measure, offence_code, offence_ref, classification_code, nominal_id FROM score.harm_explanation WHERE cchi_days IS NULL
  UNION ALL
  SELECT 'ons' AS measure, offence_code, offence_ref, classification_code, nominal_id FROM score.harm_explanation WHERE ons_weight IS NULL
)
SELECT $as_of::DATE AS as_of, measure, offence_code, offence_ref, any_value(classification_code) AS classification_code,
       count(*) AS records, count(DISTINCT nominal_id) AS nominals
FROM missing
GROUP BY measure, offence_code, offence_ref
ORDER BY measure, offence_code NULLS FIRST, offence_ref NULLS FIRST;
