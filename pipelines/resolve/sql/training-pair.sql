-- hn_pair_in for one training session (after Splink): all pairs agreeing exactly on the session's
-- key — the date of birth, surname + first forename, or the valid PNC id — in a seeded sample of keys (hash(key, seed)
-- modulo $modulus = 0) and blocks of at most $cap rows. Among such pairs the non-matches are close to
-- random on the other fields, so EM with the sampled u can estimate m for those fields.

CREATE OR REPLACE TEMP TABLE hn_pair_in AS
WITH keyed AS (
  SELECT cr_id, iid,
         CASE $session WHEN 'dob' THEN CAST(dob AS VARCHAR) WHEN 'pnc' THEN pnc ELSE sn_full || '|' || fn_first END AS key
  FROM person.identity_feature
),
sampled AS (
  SELECT * FROM keyed WHERE key IS NOT NULL AND hash(key, CAST($seed AS BIGINT)) % CAST($modulus AS UBIGINT) = 0
),
sizes AS (SELECT key, count(*) AS n FROM sampled GROUP BY key HAVING count(*) BETWEEN 2 AND $cap)
SELECT DISTINCT a.cr_id AS cr_a, b.cr_id AS cr_b
FROM sampled a JOIN sizes s USING (key) JOIN sampled b USING (key)
WHERE a.iid < b.iid;
