-- hn_suspect: clusters the chaining guard must re-examine — two different valid PNC ids, two clearly
-- different dates of birth, or both sides of an analyst's NOT_SAME decision.

CREATE OR REPLACE TEMP TABLE hn_suspect AS
WITH member AS (
  SELECT l.label, f.iid, f.pnc, f.dob FROM hn_label l JOIN person.identity_feature f ON f.iid = l.iid
),
pnc AS (SELECT label FROM member GROUP BY label HAVING count(DISTINCT pnc) > 1),
dobs AS (SELECT DISTINCT label, dob FROM member WHERE dob IS NOT NULL),
dob AS (
  SELECT DISTINCT a.label FROM dobs a JOIN dobs b ON a.label = b.label AND a.dob < b.dob
  WHERE hn_dob_conflict(a.dob, b.dob)
),
apart AS (
  SELECT DISTINCT la.label FROM hn_decision d
  JOIN hn_label la ON la.iid = d.iid_a JOIN hn_label lb ON lb.iid = d.iid_b
  WHERE d.decision = 'NOT_SAME' AND la.label = lb.label
)
SELECT label FROM pnc UNION SELECT label FROM dob UNION SELECT label FROM apart;
