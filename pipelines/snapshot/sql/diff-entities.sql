-- One row per entity in either snapshot: added / removed / changed / unchanged, with harm and rank
-- before and after. Reads the standardised views side_a and side_b (k, harm, rankable, fields: a
-- struct of the shared columns) and the macro changed_fields(x, y) naming the fields that differ.
-- Rank: competition rank (1 = highest harm) among rankable rows; ties share a rank.
CREATE OR REPLACE TEMP TABLE entity_diff AS
WITH
ranked_a AS (
  SELECT k, harm, fields,
         CASE WHEN rankable THEN rank() OVER (PARTITION BY rankable ORDER BY harm DESC NULLS LAST) END AS rnk
  FROM side_a
),
ranked_b AS (
  SELECT k, harm, fields,
         CASE WHEN rankable THEN rank() OVER (PARTITION BY rankable ORDER BY harm DESC NULLS LAST) END AS rnk
  FROM side_b
),
joined AS (
  SELECT
    coalesce(b.k, a.k) AS id,
    CASE WHEN a.k IS NULL THEN 'added'
         WHEN b.k IS NULL THEN 'removed'
         WHEN a.fields IS DISTINCT FROM b.fields THEN 'changed'
         ELSE 'unchanged' END AS change,
    a.harm AS harm_before,
    b.harm AS harm_after,
    b.harm - a.harm AS harm_delta,
    a.rnk AS rank_before,
    b.rnk AS rank_after,
    b.rnk - a.rnk AS rank_delta,
    CASE WHEN a.k IS NOT NULL AND b.k IS NOT NULL AND a.fields IS DISTINCT FROM b.fields
         THEN changed_fields(a.fields, b.fields) END AS changed_fields
  FROM ranked_a a
  FULL OUTER JOIN ranked_b b ON a.k = b.k
)
SELECT * FROM joined;
