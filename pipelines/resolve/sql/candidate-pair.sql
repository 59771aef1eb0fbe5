-- person.candidate_pair: the union of several blocking rules, deduplicated, so that no single typo
-- hides a match. A block larger than its cap is dropped (no quadratic blocks) and reported: $max_block
-- for rules with date-of-birth parts, $max_name_block for name-only rules — a common name without a
-- date of birth could never reach the match threshold, so those big blocks would only cost time.

CREATE OR REPLACE TEMP TABLE hn_block_key AS
SELECT cr_id, iid, rule, key, cap FROM (
  SELECT cr_id, iid, 'dob_surname_initial' AS rule, dob_key || '|' || left(sn_full, 1) AS key, $max_block AS cap
    FROM person.identity_feature WHERE dob_key IS NOT NULL AND sn_full IS NOT NULL
  UNION ALL
  SELECT cr_id, iid, 'dob_forename_initial', dob_key || '|' || left(fn_key, 1), $max_block
    FROM person.identity_feature WHERE dob_key IS NOT NULL AND fn_key IS NOT NULL
  UNION ALL
  SELECT cr_id, iid, 'surname_phonetic_forename', sn_phon || '|' || fn_key, $max_name_block
    FROM person.identity_feature WHERE sn_phon IS NOT NULL AND fn_key IS NOT NULL
  UNION ALL
  SELECT cr_id, iid, 'surname_forename_phonetic', sn_phon || '|' || fn_phon, $max_name_block
    FROM person.identity_feature WHERE sn_phon IS NOT NULL AND fn_phon IS NOT NULL
  UNION ALL
  SELECT cr_id, iid, 'surname_phonetic_year_month', sn_phon || '|' || dob_year || '-' || dob_month, $max_block
    FROM person.identity_feature WHERE sn_phon IS NOT NULL AND dob_year IS NOT NULL

  UNION ALL
  SELECT cr_id, iid, 'pnc', pnc, $max_block FROM person.identity_feature WHERE pnc IS NOT NULL
);

CREATE OR REPLACE TEMP TABLE hn_block_size AS
SELECT rule, key, count(*) AS n, min(cap) AS cap FROM hn_block_key GROUP BY rule, key;

CREATE OR REPLACE TABLE person.candidate_pair AS
WITH kept AS (
  SELECT k.cr_id, k.iid, k.rule, k.key FROM hn_block_key k
  JOIN hn_block_size s ON s.rule = k.rule AND s.key = k.key AND s.n <= s.cap AND s.n > 1
)
SELECT DISTINCT a.cr_id AS cr_a, b.cr_id AS cr_b
FROM kept a JOIN kept b ON b.rule = a.rule AND b.key = a.key AND a.iid < b.iid;

CREATE OR REPLACE TABLE person.blocking_report AS
SELECT rule,
       min(cap) AS cap,
       count(*) AS blocks,
       count(*) FILTER (WHERE n > cap) AS blocks_dropped,
       coalesce(sum(n) FILTER (WHERE n > cap), 0) AS rows_in_dropped_blocks,
       coalesce(sum(n * (n - 1) / 2) FILTER (WHERE n <= cap), 0) AS pairs_generated,
       max(n) AS largest_block
FROM hn_block_size
GROUP BY rule
ORDER BY rule;
