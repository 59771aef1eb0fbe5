-- curated.quality: counts a reader can check — rows in the drop, rows after the as-at date, intelligence
-- excluded by the reliability policy (per scheme + grade), unknown offence codes, CCHI rule use, PNC ids.
CREATE OR REPLACE TABLE curated.quality AS
WITH as_at AS (
  SELECT 'crime' AS source, count(*) AS rows_in_drop, count(*) FILTER (WHERE CAST(trim(recorded_date) AS DATE) > $as_of::DATE) AS after_as_of
  FROM raw.crime WHERE drop_as_of = $drop_as_of::DATE
  UNION ALL SELECT 'custody', count(*), count(*) FILTER (WHERE CAST(trim(arrest_datetime) AS TIMESTAMP)::DATE > $as_of::DATE)
  FROM raw.custody WHERE drop_as_of = $drop_as_of::DATE
  UNION ALL SELECT 'intel', count(*), count(*) FILTER (WHERE CAST(trim(submitted_date) AS DATE) > $as_of::DATE)
  FROM raw.intel WHERE drop_as_of = $drop_as_of::DATE
  UNION ALL SELECT 'pins', count(*), count(*) FILTER (WHERE CAST(trim(reception_date) AS DATE) > $as_of::DATE)
  FROM raw.pins WHERE drop_as_of = $drop_as_of::DATE
  UNION ALL SELECT 'missing', count(*), count(*) FILTER (WHERE CAST(trim(reported_datetime) AS TIMESTAMP)::DATE > $as_of::DATE)
  FROM raw.missing WHERE drop_as_of = $drop_as_of::DATE
),
curated_rows AS (
  SELECT source, count(*) AS n, count(*) FILTER (WHERE under_18) AS under_18, count(*) FILTER (WHERE under_18 IS NULL) AS age_unknown
  FROM curated.involvement GROUP BY source
),
intel_excluded AS (
  SELECT 'excluded_by_reliability:' || lower(trim(grading_scheme)) || ':source=' || upper(trim(source_grade)) || ':intel=' || upper(trim(intel_grade)) AS "check", count(*) AS value
  FROM raw.intel i
  WHERE drop_as_of = $drop_as_of::DATE AND CAST(trim(submitted_date) AS DATE) <= $as_of::DATE
    AND NOT EXISTS (SELECT 1 FROM curated.reliability_policy p WHERE p.grading_scheme = lower(trim(i.grading_scheme))
                    AND p.source_grade = upper(trim(i.source_grade)) AND p.intel_grade = upper(trim(i.intel_grade)))
  GROUP BY ALL
),
offence_use AS (
  SELECT i.source, o.offence_code, o.cchi_rule, o.ons_status, count(*) AS n
  FROM curated.involvement i JOIN curated.offence o ON o.offence_code = i.offence_code AND coalesce(o.offence_ref, '') = coalesce(i.offence_ref, '')
  GROUP BY ALL
),
pnc AS (
  SELECT source, count(*) FILTER (WHERE pnc_invalid) AS invalid, count(*) FILTER (WHERE pnc_id IS NULL) AS absent FROM (
    SELECT 'crime' AS source, pnc_id, pnc_invalid FROM curated.crime UNION ALL SELECT 'custody', pnc_id, pnc_invalid FROM curated.custody
    UNION ALL SELECT 'intel', pnc_id, pnc_invalid FROM curated.intel UNION ALL SELECT 'pins', pnc_id, pnc_invalid FROM curated.pins
    UNION ALL SELECT 'missing', pnc_id, pnc_invalid FROM curated.missing) GROUP BY source
),
blanked AS (
  SELECT 'pins' AS source, 'release_after_as_of_blanked' AS "check", count(*) AS value FROM raw.pins
  WHERE drop_as_of = $drop_as_of::DATE AND CAST(trim(reception_date) AS DATE) <= $as_of::DATE AND CAST(nullif(trim(actual_release_date), '') AS DATE) > $as_of::DATE
  UNION ALL
  SELECT 'missing', 'found_after_as_of_blanked', count(*) FROM raw.missing
  WHERE drop_as_of = $drop_as_of::DATE AND CAST(trim(reported_datetime) AS TIMESTAMP)::DATE <= $as_of::DATE AND CAST(nullif(trim(found_datetime), '') AS TIMESTAMP)::DATE > $as_of::DATE
),
final AS (
  SELECT source, 'rows_in_drop' AS "check", rows_in_drop AS value FROM as_at
  UNION ALL SELECT source, 'rows_recorded_after_as_of', after_as_of FROM as_at
  UNION ALL SELECT a.source, 'rows_curated', coalesce(c.n, 0) FROM as_at a LEFT JOIN curated_rows c USING (source)
  UNION ALL SELECT source, 'under_18_records', under_18 FROM curated_rows
  UNION ALL SELECT source, 'age_unknown_records', age_unknown FROM curated_rows
  UNION ALL SELECT 'intel', "check", value FROM intel_excluded
  UNION ALL SELECT 'intel', 'excluded_by_reliability_total', coalesce(sum(value), 0) FROM intel_excluded
  UNION ALL SELECT 'intel', 'reliability_policy_version:' || (SELECT any_value(version) FROM curated.reliability_policy), 1
  UNION ALL SELECT source, 'unknown_offence_code:' || offence_code, sum(n) FROM offence_use WHERE cchi_rule = 'unknown' GROUP BY ALL
  UNION ALL SELECT source, 'unknown_offence_records', coalesce(sum(n) FILTER (WHERE cchi_rule = 'unknown'), 0) FROM offence_use GROUP BY source
  UNION ALL SELECT source, 'cchi_ho_code_max:' || offence_code, sum(n) FROM offence_use WHERE cchi_rule = 'ho_code_max' GROUP BY ALL
  UNION ALL SELECT source, 'ons_weight_missing_records', coalesce(sum(n) FILTER (WHERE ons_status = 'missing'), 0) FROM offence_use GROUP BY source
  UNION ALL SELECT source, 'pnc_invalid', invalid FROM pnc
  UNION ALL SELECT source, 'pnc_absent', absent FROM pnc
  UNION ALL SELECT source, "check", value FROM blanked
)
SELECT source, "check", CAST(value AS DOUBLE) AS value FROM final ORDER BY source, "check";
