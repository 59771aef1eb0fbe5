-- hn_pair_level: the comparison level of each field for every pair in hn_pair_in(cr_a, cr_b) —
-- blocked pairs, the random u-sample, or one pair being explained: the same SQL for all three.
-- String similarities are computed once per pair, then banded by the hn_*_level macros.

CREATE OR REPLACE TEMP TABLE hn_pair_level AS
WITH joined AS (
  SELECT
    p.cr_a, p.cr_b, a.iid AS iid_a, b.iid AS iid_b,
    a.sn_full AS sn_a, b.sn_full AS sn_b, a.sn_words AS snw_a, b.sn_words AS snw_b, a.sn_multi AS snm_a, b.sn_multi AS snm_b,
    a.sn_first AS snf_a, a.sn_last AS snl_a, b.sn_first AS snf_b, b.sn_last AS snl_b,
    a.fn_first AS fn_a, b.fn_first AS fn_b, a.fn_all AS fna_a, b.fn_all AS fna_b, a.fn_words AS fnw_a, b.fn_words AS fnw_b,
    a.fn_n AS fnn_a, b.fn_n AS fnn_b,
    a.dob AS dob_a, b.dob AS dob_b, a.sex AS sex_a, b.sex AS sex_b, a.pnc AS pnc_a, b.pnc AS pnc_b,
    (np.name_a IS NOT NULL) AS fn_nick
  FROM hn_pair_in p
  JOIN person.identity_feature a ON a.cr_id = p.cr_a
  JOIN person.identity_feature b ON b.cr_id = p.cr_b
  LEFT JOIN person.nickname_pair np ON np.name_a = a.fn_first AND np.name_b = b.fn_first
),
similarity AS (
  SELECT *,
    CASE WHEN sn_a = sn_b THEN 1.0 ELSE jaro_winkler_similarity(sn_a, sn_b) END AS sn_jw,
    CASE WHEN fn_a = fn_b THEN 1.0 ELSE jaro_winkler_similarity(fn_a, fn_b) END AS fn_jw
  FROM joined
)
SELECT
  cr_a, cr_b, iid_a, iid_b,
  hn_surname_level(sn_a, sn_b, sn_jw, snw_a, snw_b, snm_a, snm_b, snf_a, snl_a, snf_b, snl_b) AS surname,
  hn_forename_level(fn_a, fn_b, fn_jw, fn_nick, fna_a, fna_b, fnw_a, fnw_b, fnn_a, fnn_b) AS forename,
  hn_dob_level(dob_a, dob_b) AS dob,
  hn_sex_level(sex_a, sex_b) AS sex,
  hn_pnc_level(pnc_a, pnc_b) AS pnc,
  CASE WHEN sn_a = sn_b THEN sn_a END AS surname_value,
  CASE WHEN fn_a = fn_b THEN fn_a END AS forename_value
FROM similarity;
