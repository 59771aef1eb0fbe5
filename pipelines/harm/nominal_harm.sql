-- score.nominal_harm: one row per nominal. Scored nominals get harm (possibly 0), band and rank; a
-- victim/witness/missing-only nominal gets NULLs. Scores are sums of score.harm_explanation rows.
-- Per nominal: roles, record count, last record date and the under-18 flag at that last record
-- (true if any row that day says true, else false if any says false, else NULL), in one pass:
-- key = days since 0001-01-01 × 4 + (2 true | 1 false | 0 unknown), so max(key) carries both.
CREATE OR REPLACE TEMP TABLE harm_roles AS
WITH per_role AS (
  SELECT ns.nominal_id, i.role, count(*) AS records,
         max(date_diff('day', DATE '0001-01-01', i.record_date) * 4
             + CASE WHEN i.under_18 THEN 2 WHEN NOT i.under_18 THEN 1 ELSE 0 END) AS last_key
  FROM curated.involvement AS i
  JOIN person.nominal_sources AS ns ON ns.identity_id = i.identity_id
  GROUP BY ns.nominal_id, i.role
)
SELECT nominal_id,
       list(role ORDER BY role) AS roles,
       bool_or(list_contains($scored_roles, role)) AS scored,
       bool_or(list_contains($safeguarding_roles, role)) AS has_safeguarding_role,
       DATE '0001-01-01' + (max(last_key) // 4)::INTEGER AS last_record_date,
       CASE max(last_key) % 4 WHEN 2 THEN true WHEN 1 THEN false END AS under_18_at_last_record,
       sum(records)::BIGINT AS records
FROM per_role
GROUP BY nominal_id;

CREATE OR REPLACE TABLE score.nominal_harm AS
WITH custody AS (
  SELECT ns.nominal_id,
         bool_or(p.actual_release_date IS NULL OR p.actual_release_date > $as_of::DATE) AS in_custody,
         first(p.expected_release_date ORDER BY p.reception_date DESC, p.prison_number)
           FILTER (WHERE p.actual_release_date IS NULL OR p.actual_release_date > $as_of::DATE) AS expected_release_date,
         max(p.actual_release_date) FILTER (WHERE p.actual_release_date <= $as_of::DATE) AS last_release_date,
         first(p.licence_end_date ORDER BY p.reception_date DESC, p.prison_number) AS licence_end_date
  FROM curated.pins AS p
  JOIN person.nominal_sources AS ns ON ns.identity_id = p.identity_id
  WHERE p.reception_date <= $as_of::DATE
  GROUP BY ns.nominal_id
),
sums AS (
  SELECT nominal_id,
         count(*) AS records_scored,
         coalesce(sum(contribution_cchi), 0) AS harm_cchi,
         coalesce(sum(contribution_cchi) FILTER (WHERE outcome_class = 'proven'), 0) AS harm_cchi_proven,
         coalesce(sum(decayed_cchi) FILTER (WHERE outcome_class = 'alleged'), 0) AS harm_cchi_alleged,
         coalesce(sum(contribution_ons), 0) AS harm_ons,
         coalesce(sum(contribution_ons) FILTER (WHERE outcome_class = 'proven'), 0) AS harm_ons_proven,
         coalesce(sum(decayed_ons) FILTER (WHERE outcome_class = 'alleged'), 0) AS harm_ons_alleged,
         count(*) FILTER (WHERE cchi_days IS NULL) AS unweighted_cchi_records,
         count(*) FILTER (WHERE ons_weight IS NULL) AS unweighted_ons_records
  FROM score.harm_explanation
  GROUP BY nominal_id
),
base AS (
  SELECT n.nominal_id,
         coalesce(r.scored, false) AS scored,
         NOT coalesce(r.scored, false) AND coalesce(r.has_safeguarding_role, false) AS safeguarding_only,
         CASE WHEN n.date_of_birth IS NOT NULL THEN
           date_part('year', $as_of::DATE) - date_part('year', n.date_of_birth)
           - CASE WHEN date_part('month', $as_of::DATE) < date_part('month', n.date_of_birth)
                       OR (date_part('month', $as_of::DATE) = date_part('month', n.date_of_birth)
                           AND date_part('day', $as_of::DATE) < date_part('day', n.date_of_birth)) THEN 1 ELSE 0 END
         END AS age_years,
         r.last_record_date,
         r.last_record_date IS NULL
           OR greatest(date_diff('day', r.last_record_date, $as_of::DATE), 0) > $lookback_years::DOUBLE * 365.25::DOUBLE AS historic,
         r.under_18_at_last_record,
         coalesce(c.in_custody, false) AS in_custody,
         c.expected_release_date, c.last_release_date, c.licence_end_date,
         s.records_scored, s.harm_cchi, s.harm_cchi_proven, s.harm_cchi_alleged,
         s.harm_ons, s.harm_ons_proven, s.harm_ons_alleged, s.unweighted_cchi_records, s.unweighted_ons_records
  FROM person.nominal AS n
  LEFT JOIN harm_roles AS r ON r.nominal_id = n.nominal_id
  LEFT JOIN custody AS c ON c.nominal_id = n.nominal_id
  LEFT JOIN sums AS s ON s.nominal_id = n.nominal_id
),
scored AS (
  SELECT nominal_id, scored, safeguarding_only,
         CASE WHEN age_years IS NOT NULL THEN age_years < 18 ELSE under_18_at_last_record END AS under_18,
         age_years::INTEGER AS age_years, historic, last_record_date, in_custody,
         expected_release_date, last_release_date, licence_end_date,
         CASE WHEN scored THEN coalesce(harm_cchi, 0) END AS harm_cchi,
         CASE WHEN scored THEN coalesce(harm_cchi_proven, 0) END AS harm_cchi_proven,
         CASE WHEN scored THEN coalesce(harm_cchi_alleged, 0) END AS harm_cchi_alleged,
         CASE WHEN scored THEN coalesce(harm_ons, 0) END AS harm_ons,
         CASE WHEN scored THEN coalesce(harm_ons_proven, 0) END AS harm_ons_proven,
         CASE WHEN scored THEN coalesce(harm_ons_alleged, 0) END AS harm_ons_alleged,
         CASE WHEN scored THEN coalesce(records_scored, 0) END AS records_scored,
         CASE WHEN scored THEN coalesce(unweighted_cchi_records, 0) END AS unweighted_cchi_records,
         CASE WHEN scored THEN coalesce(unweighted_ons_records, 0) END AS unweighted_ons_records
  FROM base
),
banded AS (
  SELECT *,
         CASE WHEN harm_cchi >= $band_a THEN 'A' WHEN harm_cchi >= $band_b THEN 'B'
              WHEN harm_cchi >= $band_c THEN 'C' WHEN harm_cchi > 0 THEN 'D' END AS harm_band
  FROM scored
),
ranks AS (
  SELECT nominal_id, row_number() OVER (ORDER BY harm_cchi DESC, nominal_id) AS harm_rank
  FROM banded
  WHERE scored AND NOT historic AND harm_cchi > 0
)
SELECT $as_of::DATE AS as_of, b.*, k.harm_rank,
       coalesce(b.unweighted_cchi_records, 0) + coalesce(b.unweighted_ons_records, 0) > 0 AS has_unweighted_records
FROM banded AS b
LEFT JOIN ranks AS k ON k.nominal_id = b.nominal_id
ORDER BY b.nominal_id;
