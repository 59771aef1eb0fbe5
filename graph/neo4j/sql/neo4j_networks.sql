-- One row per network (aggregates only: size, type tags and reasons, harm, lineage), in id order.
CREATE OR REPLACE TEMP TABLE neo4j_networks AS
SELECT row_number() OVER (ORDER BY network_id) AS batch_row, *
FROM networks;
