-- The nominals that appear in Neo4j: everyone, or everyone except safeguarding-only
-- (victim/witness/missing-only) nominals unless $include_safeguarding_only.
CREATE OR REPLACE TEMP TABLE neo4j_published AS
SELECT nominal_id
FROM nominals
WHERE $include_safeguarding_only OR NOT coalesce(safeguarding_only, false);
