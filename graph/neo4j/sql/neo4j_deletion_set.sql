-- The deletion set between the previously published snapshot (views prev_nominals, prev_edges,
-- prev_networks) and this one (the neo4j_* temp tables): what a publish should delete from Neo4j.
CREATE OR REPLACE TEMP TABLE neo4j_prev_published AS
SELECT nominal_id FROM prev_nominals
WHERE $include_safeguarding_only OR NOT coalesce(safeguarding_only, false);

CREATE OR REPLACE TEMP TABLE neo4j_deleted_nominals AS
SELECT nominal_id FROM neo4j_prev_published
EXCEPT SELECT nominal_id FROM neo4j_published;

CREATE OR REPLACE TEMP TABLE neo4j_deleted_networks AS
SELECT network_id FROM prev_networks
EXCEPT SELECT network_id FROM neo4j_networks;

CREATE OR REPLACE TEMP TABLE neo4j_deleted_links AS
SELECT e.nominal_a, e.nominal_b
FROM prev_edges e
JOIN neo4j_prev_published a ON a.nominal_id = e.nominal_a
JOIN neo4j_prev_published b ON b.nominal_id = e.nominal_b
EXCEPT SELECT nominal_a, nominal_b FROM neo4j_links;

CREATE OR REPLACE TEMP TABLE neo4j_deleted_memberships AS
SELECT n.nominal_id, n.network_id
FROM prev_nominals n
JOIN neo4j_prev_published p ON p.nominal_id = n.nominal_id
JOIN prev_networks w ON w.network_id = n.network_id
EXCEPT SELECT nominal_id, network_id FROM neo4j_memberships;
