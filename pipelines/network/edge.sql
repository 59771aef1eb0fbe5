-- graph.edge: one row per linked pair of nominals (nominal_a < nominal_b), weight = Σ of its evidence's
-- weight_contribution; an all-intelligence edge is labelled exactly 'intelligence — not evidence'.
CREATE OR REPLACE TABLE graph.edge AS
WITH classes AS (
  SELECT DISTINCT e.nominal_a, e.nominal_b, e.evidential_class, r.class_rank
  FROM graph.edge_evidence AS e
  JOIN (SELECT DISTINCT evidential_class, class_rank FROM edge_link_rule) AS r USING (evidential_class)
),
labelled AS (
  SELECT nominal_a, nominal_b, string_agg(evidential_class, '; ' ORDER BY class_rank) AS evidential_class
  FROM classes
  GROUP BY nominal_a, nominal_b
),
summed AS (
  SELECT nominal_a, nominal_b,
         list_sort(list(DISTINCT link_type)) AS link_types,
         sum(weight_contribution) AS weight,
         count(*) AS evidence_count,
         min(record_date) AS first_seen,
         max(record_date) AS last_seen
  FROM graph.edge_evidence
  GROUP BY nominal_a, nominal_b
)
SELECT $as_of::DATE AS as_of, s.nominal_a, s.nominal_b, s.link_types, l.evidential_class,
       l.evidential_class = $intelligence_label AS intelligence_only,
       s.weight, s.evidence_count, s.first_seen, s.last_seen
FROM summed AS s
JOIN labelled AS l USING (nominal_a, nominal_b)
ORDER BY s.nominal_a, s.nominal_b;
