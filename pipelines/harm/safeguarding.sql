-- score.safeguarding: nominals who are only victims, witnesses or missing persons. They are never
-- scored, ranked or banded; they appear here (and in safeguarding views) only.
CREATE OR REPLACE TABLE score.safeguarding AS
SELECT $as_of::DATE AS as_of, h.nominal_id, r.roles, h.under_18, r.records, r.last_record_date, h.historic
FROM score.nominal_harm AS h
JOIN harm_roles AS r ON r.nominal_id = h.nominal_id
WHERE h.safeguarding_only
ORDER BY h.nominal_id;
