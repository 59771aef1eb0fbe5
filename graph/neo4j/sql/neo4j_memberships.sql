-- (:Nominal)-[:MEMBER_OF]->(:Network) for published nominals whose network is in the snapshot.
CREATE OR REPLACE TEMP TABLE neo4j_memberships AS
WITH source AS (
  SELECT n.nominal_id, n.network_id
  FROM nominals n
  JOIN neo4j_published p ON p.nominal_id = n.nominal_id
  JOIN networks w ON w.network_id = n.network_id
)
SELECT row_number() OVER (ORDER BY nominal_id, network_id) AS batch_row, nominal_id, network_id
FROM source;
