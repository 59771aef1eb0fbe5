-- network_fact: per network, what its members' own records show (the facts the type-tag rule reads):
-- offence classes/codes of crimes where a member is SUSPECT/OFFENDER (not NFA/acquitted), reliable intel
-- topics where a member is SUBJECT/ASSOCIATE, and missing children found with a member — all in the look-back.
CREATE OR REPLACE TEMP TABLE network_fact AS
WITH inv AS (
  SELECT ns.nominal_id, i.source, i.record_ref, i.group_ref, i.role, i.outcome, i.offence_code, i.offence_ref, i.topic, i.under_18
  FROM curated.involvement AS i
  JOIN person.nominal_sources AS ns ON ns.identity_id = i.identity_id
  WHERE greatest(date_diff('day', i.record_date, $as_of::DATE), 0) <= $lookback_years::DOUBLE * 365.25::DOUBLE
),
crimes AS (
  SELECT i.nominal_id, i.record_ref, i.offence_code, o.classification_code
  FROM inv AS i
  LEFT JOIN curated.offence AS o
    ON o.offence_code IS NOT DISTINCT FROM i.offence_code AND o.offence_ref IS NOT DISTINCT FROM i.offence_ref
  WHERE i.source = 'crime' AND i.role IN ('SUSPECT', 'OFFENDER') AND coalesce(i.outcome, '') NOT IN ('NFA', 'ACQUITTED')
),
facts AS (
  SELECT nominal_id, 'offence_class' AS fact, classification_code AS value, record_ref FROM crimes WHERE classification_code IS NOT NULL
  UNION ALL
  SELECT nominal_id, 'offence_code', offence_code, record_ref FROM crimes WHERE offence_code IS NOT NULL
  UNION ALL
  SELECT nominal_id, 'intel_topic', topic, record_ref FROM inv WHERE source = 'intel' AND role IN ('SUBJECT', 'ASSOCIATE') AND topic IS NOT NULL
  UNION ALL
  SELECT fw.nominal_id, 'missing_child_found_with', 'yes', fw.group_ref
  FROM inv AS fw
  JOIN inv AS m ON m.source = 'missing' AND m.group_ref = fw.group_ref AND m.role = 'MISSING' AND m.under_18
  WHERE fw.source = 'missing' AND fw.role = 'FOUND_WITH'
)
SELECT mb.network_id, f.fact, f.value, count(DISTINCT f.record_ref) AS records
FROM facts AS f
JOIN network_membership_input AS mb ON mb.nominal_id = f.nominal_id
GROUP BY ALL
ORDER BY ALL;
