-- hn_edge: the links to cluster — model links at or above $threshold, same-PNC links, and analysts'
-- SAME decisions; pairs an analyst marked NOT_SAME are removed (latest decision per pair wins).

CREATE OR REPLACE TEMP TABLE hn_decision AS
SELECT d.decision_id, d.identity_a, d.identity_b, d.decision, ia.iid AS iid_a, ib.iid AS iid_b
FROM person.decision d
JOIN person.identity ia ON ia.identity_id = d.identity_a
JOIN person.identity ib ON ib.identity_id = d.identity_b
QUALIFY row_number() OVER (PARTITION BY d.identity_a, d.identity_b ORDER BY d.decided_at DESC, d.decision_id DESC) = 1;

CREATE OR REPLACE TEMP TABLE hn_edge AS
WITH model AS (
  SELECT least(iid_a, iid_b) AS iid_a, greatest(iid_a, iid_b) AS iid_b, match_probability AS probability,
         CASE WHEN deterministic THEN 'pnc' ELSE 'model' END AS kind
  FROM person.pair_score
  WHERE deterministic OR match_probability >= CAST($threshold AS DOUBLE)
),
decided AS (
  SELECT least(iid_a, iid_b) AS iid_a, greatest(iid_a, iid_b) AS iid_b, decision FROM hn_decision
)
SELECT m.* FROM model m
LEFT JOIN decided d ON d.iid_a = m.iid_a AND d.iid_b = m.iid_b
WHERE d.decision IS NULL
UNION ALL
SELECT iid_a, iid_b, 1.0, 'decision' FROM decided WHERE decision = 'SAME';

CREATE OR REPLACE TEMP TABLE hn_adj AS
SELECT iid_a AS x, iid_b AS y FROM hn_edge UNION ALL SELECT iid_b, iid_a FROM hn_edge;

CREATE OR REPLACE TEMP TABLE hn_label AS
SELECT DISTINCT x AS iid, x AS label FROM hn_adj;
