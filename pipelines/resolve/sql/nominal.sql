-- person.nominal / person.nominal_sources, with ids kept stable through person.nominal_registry:
-- a cluster keeps the registered id most of its identities carry (each old id goes to at most one
-- cluster); other clusters get new ids; merges and splits are written to person.nominal_change.

CREATE OR REPLACE TEMP TABLE hn_cluster AS
SELECT i.iid, i.identity_id, coalesce(f.label, i.iid) AS label
FROM person.identity i LEFT JOIN hn_final f ON f.iid = i.iid;

CREATE OR REPLACE TEMP TABLE hn_claim AS
SELECT c.label, r.nominal_id, count(*) AS n
FROM hn_cluster c JOIN person.nominal_registry r ON r.identity_id = c.identity_id
GROUP BY c.label, r.nominal_id;

CREATE OR REPLACE TEMP TABLE hn_kept AS
WITH eligible AS (
  SELECT * FROM hn_claim
  QUALIFY row_number() OVER (PARTITION BY nominal_id ORDER BY n DESC, label) = 1
)
SELECT label, nominal_id FROM eligible
QUALIFY row_number() OVER (PARTITION BY label ORDER BY n DESC, nominal_id) = 1;

CREATE OR REPLACE TEMP TABLE hn_new AS
WITH base AS (
  SELECT coalesce(max(CAST(substr(nominal_id, 2) AS BIGINT)), 0) AS seq
  FROM person.nominal_change WHERE change = 'NEW'
),
fresh AS (
  SELECT DISTINCT c.label FROM hn_cluster c ANTI JOIN hn_kept k ON k.label = c.label
)
SELECT f.label, 'N' || lpad(CAST(b.seq + row_number() OVER (ORDER BY f.label) AS VARCHAR), 8, '0') AS nominal_id
FROM fresh f, base b;

CREATE OR REPLACE TEMP TABLE hn_assigned AS
SELECT label, nominal_id FROM hn_kept UNION ALL SELECT label, nominal_id FROM hn_new;

INSERT INTO person.nominal_change
SELECT CAST($as_of AS DATE), 'NEW', n.nominal_id, NULL, count(*)
FROM hn_new n JOIN hn_cluster c ON c.label = n.label
GROUP BY n.nominal_id
ORDER BY n.nominal_id;

INSERT INTO person.nominal_change
SELECT CAST($as_of AS DATE),
       CASE WHEN k.nominal_id IS NOT NULL THEN 'SPLIT' ELSE 'MERGE' END,
       cl.nominal_id, a.nominal_id, cl.n
FROM hn_claim cl
JOIN hn_assigned a ON a.label = cl.label
LEFT JOIN hn_kept k ON k.nominal_id = cl.nominal_id
WHERE cl.nominal_id <> a.nominal_id
ORDER BY cl.nominal_id, a.nominal_id;

INSERT OR REPLACE INTO person.nominal_registry
SELECT c.identity_id, a.nominal_id,
       coalesce(r.first_as_of, CAST($as_of AS DATE)), CAST($as_of AS DATE)
FROM hn_cluster c
JOIN hn_assigned a ON a.label = c.label
LEFT JOIN person.nominal_registry r ON r.identity_id = c.identity_id;

-- How sure each identity's place in its nominal is: its strongest link inside the final cluster.
CREATE OR REPLACE TABLE person.nominal_sources AS
WITH strongest AS (
  SELECT x.iid, max(e.probability) AS p
  FROM (SELECT iid_a AS iid, iid_b AS other, probability FROM hn_edge
        UNION ALL SELECT iid_b, iid_a, probability FROM hn_edge) e
  JOIN hn_cluster x ON x.iid = e.iid
  JOIN hn_cluster y ON y.iid = e.other AND y.label = x.label
  GROUP BY x.iid
)
SELECT a.nominal_id, i.source, i.person_ref, i.identity_id, coalesce(s.p, 1.0) AS match_probability
FROM hn_cluster c
JOIN person.identity i ON i.iid = c.iid
JOIN hn_assigned a ON a.label = c.label
LEFT JOIN strongest s ON s.iid = c.iid
ORDER BY a.nominal_id, i.source, i.person_ref;

CREATE OR REPLACE TABLE person.nominal AS
WITH member AS (
  SELECT ns.nominal_id, v.* FROM person.nominal_sources ns JOIN hn_variant v USING (identity_id)
),
name AS (
  SELECT nominal_id, trim(coalesce(trim(forenames) || ' ', '') || coalesce(trim(surname), '')) AS display_name
  FROM member
  QUALIFY row_number() OVER (PARTITION BY nominal_id ORDER BY n_records DESC, last_seen DESC NULLS LAST, identity_id, surname, forenames) = 1
),
dob AS (
  SELECT nominal_id, dob FROM member WHERE dob IS NOT NULL GROUP BY nominal_id, dob
  QUALIFY row_number() OVER (PARTITION BY nominal_id ORDER BY sum(n_records) DESC, dob) = 1
),
sex AS (
  SELECT nominal_id, sex FROM member WHERE sex IS NOT NULL GROUP BY nominal_id, sex
  QUALIFY row_number() OVER (PARTITION BY nominal_id ORDER BY sum(n_records) DESC, sex) = 1
),
pnc AS (
  SELECT nominal_id, pnc FROM member WHERE pnc IS NOT NULL GROUP BY nominal_id, pnc
  QUALIFY row_number() OVER (PARTITION BY nominal_id ORDER BY sum(n_records) DESC, pnc) = 1
),
ids AS (SELECT DISTINCT nominal_id FROM person.nominal_sources)
SELECT ids.nominal_id, name.display_name, dob.dob AS date_of_birth, sex.sex, pnc.pnc AS pnc_id
FROM ids
LEFT JOIN name USING (nominal_id)
LEFT JOIN dob USING (nominal_id)
LEFT JOIN sex USING (nominal_id)
LEFT JOIN pnc USING (nominal_id)
ORDER BY ids.nominal_id;
