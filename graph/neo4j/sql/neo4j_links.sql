-- (:Nominal)-[:ASSOCIATED_WITH]->(:Nominal) for edges whose two ends are both published.
-- An explicit column list: only these edge properties reach Neo4j.
CREATE OR REPLACE TEMP TABLE neo4j_links AS
WITH source AS (
  SELECT e.nominal_a, e.nominal_b, e.weight, e.link_types, e.evidential_class, e.intelligence_only,
         e.evidence_count, e.first_seen, e.last_seen
  FROM edges e
  JOIN neo4j_published a ON a.nominal_id = e.nominal_a
  JOIN neo4j_published b ON b.nominal_id = e.nominal_b
)
SELECT row_number() OVER (ORDER BY nominal_a, nominal_b) AS batch_row, *
FROM source;
