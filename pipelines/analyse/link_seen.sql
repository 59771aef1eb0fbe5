-- analysis.link_seen: the first analysed week in which each pair was linked by each link type. Rows added
-- for $as_of are this week's new links (meaningful only when an earlier week was analysed).
INSERT INTO analysis.link_seen
WITH source AS (
  SELECT nominal_a, nominal_b, unnest(link_types) AS link_type FROM graph.edge
),
renamed AS (
  SELECT DISTINCT nominal_a::VARCHAR AS nominal_a, nominal_b::VARCHAR AS nominal_b, link_type::VARCHAR AS link_type FROM source
)
SELECT r.nominal_a, r.nominal_b, r.link_type, $as_of::DATE AS first_as_of
FROM renamed AS r
ANTI JOIN analysis.link_seen AS s USING (nominal_a, nominal_b, link_type)
ORDER BY r.nominal_a, r.nominal_b, r.link_type;
