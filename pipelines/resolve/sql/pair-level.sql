-- hn_pair_level: the comparison level of each field for every candidate pair (blocked pairs in
-- the weekly run, or any pair table named hn_pair_in(cr_a, cr_b) — the same macros either way).

CREATE OR REPLACE TEMP TABLE hn_pair_level AS
SELECT
  p.cr_a, p.cr_b, a.iid AS iid_a, b.iid AS iid_b,
  hn_surname_level(a.sn_full, b.sn_full, a.sn_parts, b.sn_parts) AS surname,
  hn_forename_level(a.fn_first, b.fn_first, a.fn_canon, b.fn_canon, a.fn_tokens, b.fn_tokens) AS forename,
  hn_dob_level(a.dob, b.dob) AS dob,
  hn_sex_level(a.sex, b.sex) AS sex,
  hn_pnc_level(a.pnc, b.pnc) AS pnc,
  CASE WHEN a.sn_full = b.sn_full THEN a.sn_full END AS surname_value,
  CASE WHEN a.fn_first = b.fn_first THEN a.fn_first END AS forename_value
FROM hn_pair_in p
JOIN person.identity_feature a ON a.cr_id = p.cr_a
JOIN person.identity_feature b ON b.cr_id = p.cr_b;
