-- person.pair_score: Fellegi-Sunter match weight of each candidate identity pair (the best-scoring
-- pair of their variants): prior + sum of log2(m/u) per field; surname and first forename
-- term-frequency adjusted on exact agreement (Winkler 1989; Splink's tf adjustment). Weights are
-- summed once per comparison pattern (a few hundred), not per pair. Only pairs at or above
-- $store_floor (or same-PNC) are kept: explain-pair recomputes any other pair on demand.

CREATE OR REPLACE TEMP TABLE hn_pattern_weight AS
WITH patterns AS (SELECT DISTINCT surname, forename, dob, sex, pnc FROM hn_pair_level)
SELECT p.*,
  ws.weight AS w_surname, ws.u AS u_surname, wf.weight AS w_forename, wf.u AS u_forename,
  wd.weight AS w_dob, wx.weight AS w_sex, wp.weight AS w_pnc,
  CAST($prior_weight AS DOUBLE) + ws.weight + wf.weight + wd.weight + wx.weight + wp.weight AS w_pattern
FROM patterns p
JOIN person.model_parameter ws ON ws.field = 'surname' AND ws.level = p.surname
JOIN person.model_parameter wf ON wf.field = 'forename' AND wf.level = p.forename
JOIN person.model_parameter wd ON wd.field = 'dob' AND wd.level = p.dob
JOIN person.model_parameter wx ON wx.field = 'sex' AND wx.level = p.sex
JOIN person.model_parameter wp ON wp.field = 'pnc' AND wp.level = p.pnc;

CREATE OR REPLACE TABLE person.pair_score AS
WITH weighted AS (
  SELECT
    l.cr_a, l.cr_b, l.iid_a, l.iid_b, l.surname, l.forename, l.dob, l.sex, l.pnc,
    w.w_surname, w.w_forename, w.w_dob, w.w_sex, w.w_pnc,
    CASE WHEN l.surname = 'exact' AND tf.tf IS NOT NULL
         THEN log2(w.u_surname / greatest(tf.tf, CAST($tf_min AS DOUBLE))) ELSE 0 END AS w_surname_tf,
    CASE WHEN l.forename = 'exact' AND ftf.tf IS NOT NULL
         THEN log2(w.u_forename / greatest(ftf.tf, CAST($tf_min AS DOUBLE))) ELSE 0 END AS w_forename_tf,
    w.w_pattern
  FROM hn_pair_level l
  JOIN hn_pattern_weight w USING (surname, forename, dob, sex, pnc)
  LEFT JOIN person.surname_tf tf ON tf.surname_value = l.surname_value
  LEFT JOIN person.forename_tf ftf ON ftf.forename_value = l.forename_value
),
scored AS (
  SELECT * EXCLUDE (w_pattern), w_pattern + w_surname_tf + w_forename_tf AS match_weight FROM weighted
),
kept AS (
  SELECT * FROM scored
  WHERE pnc = 'exact' OR match_weight >= CAST($store_floor AS DOUBLE)
  QUALIFY row_number() OVER (PARTITION BY iid_a, iid_b ORDER BY (pnc = 'exact') DESC, match_weight DESC, cr_a, cr_b) = 1
)
SELECT
  least(ia.identity_id, ib.identity_id) AS identity_a,
  greatest(ia.identity_id, ib.identity_id) AS identity_b,
  s.iid_a, s.iid_b, s.cr_a, s.cr_b,
  s.surname, s.forename, s.dob, s.sex, s.pnc,
  s.w_surname, s.w_surname_tf, s.w_forename, s.w_forename_tf, s.w_dob, s.w_sex, s.w_pnc,
  s.match_weight,
  CASE WHEN s.pnc = 'exact' THEN 1.0 ELSE pow(2, s.match_weight) / (1 + pow(2, s.match_weight)) END AS match_probability,
  (s.pnc = 'exact') AS deterministic
FROM kept s
JOIN person.identity ia ON ia.iid = s.iid_a
JOIN person.identity ib ON ib.iid = s.iid_b;
