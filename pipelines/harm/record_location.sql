-- snapshot table record_locations: the approximate place (WGS84 rounded to 3 decimal places, about 100 m) of
-- each crime record behind a harm score, for the network map. Only records that already explain a score
-- (the nominal was SUSPECT/OFFENDER, inside the look-back) and that count: proven or alleged — never NFA or
-- acquittal, never a victim's, witness's, missing person's or intelligence record, never one where the
-- person was under 18 at the time, never one whose handling code sets conditions ('C').
WITH located AS (
  SELECT crime_ref, identity_id, bool_or(coalesce(under_18, false)) AS under_18,
         min(round(latitude, 3)) AS latitude, min(round(longitude, 3)) AS longitude
  FROM curated.crime
  WHERE latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180
  GROUP BY crime_ref, identity_id
)
SELECT h.nominal_id, h.record_ref, h.record_date, h.offence_code, h.outcome_class, l.latitude, l.longitude
FROM score.harm_explanation AS h
JOIN located AS l ON l.crime_ref = h.record_ref AND l.identity_id = h.identity_id
WHERE h.source = 'crime' AND h.outcome_class IN ('proven', 'alleged')
  AND NOT l.under_18 AND h.handling_code IS DISTINCT FROM 'C'
