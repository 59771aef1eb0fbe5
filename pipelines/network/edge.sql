-- graph.edge: one row per linked pair of nominals (nominal_a < nominal_b), weight = Σ of its evidence's
-- weight_contribution; the evidential class label comes from edge_class_label (written from the TS rule),
-- so an all-intelligence edge is labelled exactly 'intelligence — not evidence'.
CREATE OR REPLACE TABLE graph.edge AS
WITH per_type AS (
  SELECT e.nominal_a, e.nominal_b, e.link_type, any_value(r.class_bit) AS class_bit,
         sum(e.weight_contribution) AS weight, count(*) AS evidence_count,
         min(e.record_date) AS first_seen, max(e.record_date) AS last_seen
  FROM graph.edge_evidence AS e
  JOIN (SELECT DISTINCT link_type, class_bit FROM edge_link_rule) AS r USING (link_type)
  GROUP BY e.nominal_a, e.nominal_b, e.link_type
),
summed AS (
  SELECT nominal_a, nominal_b,
         list(link_type ORDER BY link_type) AS link_types,
         bit_or(class_bit) AS class_mask,
         sum(weight) AS weight,
         sum(evidence_count) AS evidence_count,
         min(first_seen) AS first_seen,
         max(last_seen) AS last_seen
  FROM per_type
  GROUP BY nominal_a, nominal_b
)
SELECT $as_of::DATE AS as_of, s.nominal_a, s.nominal_b, s.link_types, l.label AS evidential_class,
       l.label = $intelligence_label AS intelligence_only,
       s.weight, s.evidence_count::BIGINT AS evidence_count, s.first_seen, s.last_seen
FROM summed AS s
JOIN edge_class_label AS l ON l.class_mask = s.class_mask;
