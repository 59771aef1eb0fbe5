-- person.pair_score: Fellegi-Sunter match weight of each candidate identity pair (the best-scoring
-- pair of their variants): prior + sum of log2(m/u) per field; surname and first forename
-- term-frequency adjusted on exact agreement (Winkler 1989; Splink's tf adjustment).

CREATE OR REPLACE TABLE person.pair_score AS
WITH levels AS (SELECT * FROM hn_pair_level),
tf AS (SELECT surname_value, tf FROM person.surname_tf),
ftf AS (SELECT forename_value, tf FROM person.forename_tf),
weighted AS (
  SELECT
    l.*,
    ws.weight AS w_surname,
    CASE WHEN l.surname = 'exact' AND tf.tf IS NOT NULL
         THEN log2(ws.u / greatest(tf.tf, CAST($tf_min AS DOUBLE))) ELSE 0 END AS w_surname_tf,
    wf.weight AS w_forename,
    CASE WHEN l.forename = 'exact' AND ftf.tf IS NOT NULL
         THEN log2(wf.u / greatest(ftf.tf, CAST($tf_min AS DOUBLE))) ELSE 0 END AS w_forename_tf, wd.weight AS w_dob, wx.weight AS w_sex, wp.weight AS w_pnc
  FROM levels l
  JOIN person.model_parameter ws ON ws.field = 'surname' AND ws.level = l.surname
  JOIN person.model_parameter wf ON wf.field = 'forename' AND wf.level = l.forename
  JOIN person.model_parameter wd ON wd.field = 'dob' AND wd.level = l.dob
  JOIN person.model_parameter wx ON wx.field = 'sex' AND wx.level = l.sex
  JOIN person.model_parameter wp ON wp.field = 'pnc' AND wp.level = l.pnc
  LEFT JOIN tf ON tf.surname_value = l.surname_value
  LEFT JOIN ftf ON ftf.forename_value = l.forename_value
),
scored AS (
  SELECT *,
    CAST($prior_weight AS DOUBLE) + w_surname + w_surname_tf + w_forename + w_forename_tf + w_dob + w_sex + w_pnc AS match_weight
  FROM weighted
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
FROM scored s
JOIN person.identity ia ON ia.iid = s.iid_a
JOIN person.identity ib ON ib.iid = s.iid_b
QUALIFY row_number() OVER (PARTITION BY s.iid_a, s.iid_b ORDER BY (s.pnc = 'exact') DESC, s.match_weight DESC, s.cr_a, s.cr_b) = 1;
