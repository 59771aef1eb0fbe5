-- hn_pair_in as a seeded random sample of pairs of comparison rows (for u probabilities): pair k
-- takes rows hash(seed, k, 'a') and hash(seed, k, 'b') modulo the row count — deterministic.
-- The draws are materialised first so the planner joins them by key, never a cross product.

CREATE OR REPLACE TEMP TABLE hn_draw AS
WITH n AS (SELECT CAST(count(*) AS UBIGINT) AS n FROM person.identity_feature),
drawn AS (
  SELECT CAST(1 + hash(CAST($seed AS BIGINT), k, 'a') % n AS BIGINT) AS x,
         CAST(1 + hash(CAST($seed AS BIGINT), k, 'b') % n AS BIGINT) AS y
  FROM range(CAST($samples AS BIGINT)) t(k), n
  WHERE n.n > 1
)
SELECT least(x, y) AS cr_a, greatest(x, y) AS cr_b FROM drawn WHERE x <> y;

CREATE OR REPLACE TEMP TABLE hn_pair_in AS
WITH da AS (
  SELECT d.cr_a, d.cr_b, a.iid AS iid_a FROM hn_draw d JOIN person.identity_feature a ON a.cr_id = d.cr_a
)
SELECT da.cr_a, da.cr_b FROM da JOIN person.identity_feature b ON b.cr_id = da.cr_b
WHERE da.iid_a <> b.iid;
