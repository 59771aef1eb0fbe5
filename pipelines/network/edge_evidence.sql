-- graph.edge_evidence: one row per record behind a link between two nominals (same rules as
-- graph/edges/co-involvement-edges.ts; the rule table edge_link_rule is written from LINK_RULES).
CREATE SCHEMA IF NOT EXISTS graph;
CREATE OR REPLACE TABLE graph.edge_evidence AS
WITH source AS (
  SELECT ns.nominal_id, i.source, i.group_ref, i.record_ref, i.role, i.record_date
  FROM curated.involvement AS i
  JOIN person.nominal_sources AS ns ON ns.identity_id = i.identity_id
  WHERE i.group_ref IS NOT NULL
    AND (i.source, i.role) IN (SELECT (source, role_from) FROM edge_link_rule UNION SELECT (source, role_to) FROM edge_link_rule)
),
pairs AS (
  SELECT r.link_type, r.directed, r.type_weight, x.source, x.group_ref,
         least(x.nominal_id, y.nominal_id) AS nominal_a, greatest(x.nominal_id, y.nominal_id) AS nominal_b,
         CASE WHEN x.nominal_id < y.nominal_id THEN x.record_ref ELSE y.record_ref END AS record_ref_a,
         CASE WHEN x.nominal_id < y.nominal_id THEN y.record_ref ELSE x.record_ref END AS record_ref_b,
         CASE WHEN r.directed THEN x.nominal_id END AS from_nominal,
         CASE WHEN r.directed THEN y.nominal_id END AS to_nominal,
         least(x.record_date, y.record_date) AS record_date
  FROM source AS x
  JOIN edge_link_rule AS r ON r.source = x.source AND r.role_from = x.role
  JOIN source AS y ON y.source = x.source AND y.group_ref = x.group_ref AND y.role = r.role_to
  WHERE x.nominal_id <> y.nominal_id
    AND (NOT r.is_symmetric OR x.nominal_id < y.nominal_id)  -- a symmetric rule would find each pair twice
),
deduped AS (
  SELECT nominal_a, nominal_b, link_type, any_value(source) AS source, group_ref AS record_ref,
         min(record_ref_a) AS record_ref_a, min(record_ref_b) AS record_ref_b, min(record_date) AS record_date,
         from_nominal, any_value(to_nominal) AS to_nominal,
         any_value(type_weight) AS type_weight
  FROM pairs
  GROUP BY nominal_a, nominal_b, link_type, group_ref, from_nominal
),
decayed AS (
  SELECT d.*, l.label AS evidential_class, pow(0.5::DOUBLE, greatest(date_diff('day', record_date, $as_of::DATE), 0)
                             / ($half_life_months::DOUBLE * 365.25::DOUBLE / 12.0::DOUBLE)) AS decay_factor
  FROM deduped AS d
  JOIN (SELECT DISTINCT link_type, class_bit FROM edge_link_rule) AS r USING (link_type)
  JOIN edge_class_label AS l ON l.class_mask = r.class_bit
)
SELECT $as_of::DATE AS as_of, nominal_a, nominal_b, link_type, source, record_ref, record_ref_a, record_ref_b,
       record_date, from_nominal, to_nominal, evidential_class, type_weight, decay_factor,
       round(type_weight * decay_factor * 1048576.0) / 1048576.0 AS weight_contribution   -- 2^-20 grid: exact sums
FROM decayed;
