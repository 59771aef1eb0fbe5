-- person.candidate_pair: the union of several blocking rules, deduplicated, so that no single typo
-- hides a match; blocks larger than $max_block rows are dropped (no quadratic blocks) and reported.

CREATE OR REPLACE TEMP TABLE hn_block_key AS
SELECT cr_id, iid, rule, key FROM (
  SELECT cr_id, iid, 'dob_surname_initial' AS rule, dob_key || '|' || left(sn_full, 1) AS key
    FROM person.identity_feature WHERE dob_key IS NOT NULL AND sn_full IS NOT NULL
  UNION ALL
  SELECT cr_id, iid, 'dob_forename_initial', dob_key || '|' || left(fn_key, 1)
    FROM person.identity_feature WHERE dob_key IS NOT NULL AND fn_key IS NOT NULL
  UNION ALL
  SELECT cr_id, iid, 'surname_phonetic_forename', sn_phon || '|' || fn_key
    FROM person.identity_feature WHERE sn_phon IS NOT NULL AND fn_key IS NOT NULL
  UNION ALL
  SELECT cr_id, iid, 'surname_forename_phonetic', sn_phon || '|' || fn_phon
    FROM person.identity_feature WHERE sn_phon IS NOT NULL AND fn_phon IS NOT NULL
  UNION ALL
  SELECT cr_id, iid, 'surname_phonetic_birth_year', sn_phon || '|' || dob_year
    FROM person.identity_feature WHERE sn_phon IS NOT NULL AND dob_year IS NOT NULL
  UNION ALL
  SELECT cr_id, iid, 'forename_birth_month', fn_key || '|' || dob_year || '-' || dob_month
    FROM person.identity_feature WHERE fn_key IS NOT NULL AND dob_year IS NOT NULL
  UNION ALL
  SELECT cr_id, iid, 'pnc', pnc FROM person.identity_feature WHERE pnc IS NOT NULL
);

CREATE OR REPLACE TEMP TABLE hn_block_size AS
SELECT rule, key, count(*) AS n FROM hn_block_key GROUP BY rule, key;

CREATE OR REPLACE TABLE person.candidate_pair AS
SELECT DISTINCT a.cr_id AS cr_a, b.cr_id AS cr_b
FROM hn_block_key a
JOIN hn_block_size s ON s.rule = a.rule AND s.key = a.key AND s.n <= $max_block AND s.n > 1
JOIN hn_block_key b ON b.rule = a.rule AND b.key = a.key AND a.iid < b.iid;

CREATE OR REPLACE TABLE person.blocking_report AS
SELECT rule,
       count(*) AS blocks,
       count(*) FILTER (WHERE n > $max_block) AS blocks_dropped,
       coalesce(sum(n) FILTER (WHERE n > $max_block), 0) AS rows_in_dropped_blocks,
       coalesce(sum(n * (n - 1) / 2) FILTER (WHERE n <= $max_block), 0) AS pairs_generated,
       max(n) AS largest_block
FROM hn_block_size
GROUP BY rule
ORDER BY rule;
