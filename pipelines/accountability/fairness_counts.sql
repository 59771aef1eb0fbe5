-- Per-cohort counts of each protected characteristic (safeguard 18). Ethnicity is read here and
-- nowhere else. Cohorts: 'all' (every nominal), harm bands A-D, network members, top-N by each rank
-- column of analysis.centrality (the `$top_n` and the rank columns are bound / quoted by the caller).
WITH eth_counts AS (
  SELECT ns.nominal_id, nullif(trim(i.ethnicity), '') AS ethnicity, count(*) AS n
  FROM person.nominal_sources AS ns
  JOIN curated.identity AS i ON i.identity_id = ns.identity_id
  WHERE nullif(trim(i.ethnicity), '') IS NOT NULL
  GROUP BY ALL
),
eth AS (
  -- most frequent code across the nominal's identity variants; ties broken alphabetically
  SELECT nominal_id, ethnicity FROM eth_counts
  QUALIFY row_number() OVER (PARTITION BY nominal_id ORDER BY n DESC, ethnicity) = 1
),
nominal_attr AS (
  SELECT n.nominal_id,
    coalesce(e.ethnicity, 'NS') AS ethnicity,
    coalesce(nullif(n.sex, ''), 'U') AS sex,
    CASE
      WHEN n.date_of_birth IS NULL THEN 'unknown'
      WHEN date_sub('year', n.date_of_birth, $as_of::DATE) < 18 THEN 'under 18'
      WHEN date_sub('year', n.date_of_birth, $as_of::DATE) < 25 THEN '18-24'
      WHEN date_sub('year', n.date_of_birth, $as_of::DATE) < 35 THEN '25-34'
      WHEN date_sub('year', n.date_of_birth, $as_of::DATE) < 45 THEN '35-44'
      WHEN date_sub('year', n.date_of_birth, $as_of::DATE) < 55 THEN '45-54'
      ELSE '55+'
    END AS age_group
  FROM person.nominal AS n
  LEFT JOIN eth AS e USING (nominal_id)
),
cohort AS (
  SELECT nominal_id, 'all' AS cohort FROM person.nominal
  UNION ALL
  SELECT nominal_id, harm_band FROM score.nominal_harm WHERE harm_band IS NOT NULL
  UNION ALL
  SELECT DISTINCT nominal_id, 'network_member' FROM analysis.network_member
  UNION ALL
  SELECT nominal_id, cohort FROM hn_fairness_top
),
long AS (
  SELECT c.cohort, a.ethnicity, a.sex, a.age_group FROM cohort AS c JOIN nominal_attr AS a USING (nominal_id)
)
SELECT 'ethnicity' AS attribute, ethnicity AS "group", cohort, count(*)::BIGINT AS count FROM long GROUP BY ALL
UNION ALL
SELECT 'sex', sex, cohort, count(*)::BIGINT FROM long GROUP BY ALL
UNION ALL
SELECT 'age_group', age_group, cohort, count(*)::BIGINT FROM long GROUP BY ALL
ORDER BY 1, 3, 2
