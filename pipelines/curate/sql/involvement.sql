-- curated.involvement: one row per person × record across the five sources (the unified model).
-- A VIEW over the five curated source tables: it never disagrees with them (retention deletes from
-- them only), and not copying ~3M rows saves several CPU-seconds a week. Read it like a table.
CREATE OR REPLACE VIEW curated.involvement AS
WITH unioned AS (
  SELECT 'crime' AS source, crime_ref AS record_ref, crime_ref AS group_ref, identity_id, person_ref, role,
         person_outcome AS outcome, committed_date AS record_date, recorded_date, ho_offence_code AS offence_code, offence_ref,
         NULL::VARCHAR AS topic, NULL::VARCHAR AS handling_code, under_18, mopi_group, latitude, longitude, line
  FROM curated.crime
  UNION ALL
  SELECT 'custody', custody_ref, occasion_ref, identity_id, person_ref, 'ARRESTED',
         custody_outcome, arrest_datetime::DATE, arrest_datetime::DATE, arrest_offence_code, NULL,
         NULL, NULL, under_18, mopi_group, NULL::DOUBLE, NULL::DOUBLE, line
  FROM curated.custody
  UNION ALL
  SELECT 'intel', intel_ref, intel_ref, identity_id, person_ref, mention_role,
         NULL, submitted_date, submitted_date, NULL, NULL,
         topic, handling_code, under_18, mopi_group, latitude, longitude, line
  FROM curated.intel
  UNION ALL
  SELECT 'pins', prison_number || '|' || strftime(reception_date, '%Y-%m-%d'), prison_number || '|' || strftime(reception_date, '%Y-%m-%d'),
         identity_id, person_ref, 'PRISONER',
         NULL, reception_date, reception_date, index_offence_code, NULL,
         NULL, NULL, under_18, mopi_group, NULL, NULL, line
  FROM curated.pins
  UNION ALL
  SELECT 'missing', episode_ref, episode_ref, identity_id, person_ref, role,
         NULL, reported_datetime::DATE, reported_datetime::DATE, NULL, NULL,
         NULL, NULL, under_18, mopi_group, found_latitude, found_longitude, line
  FROM curated.missing
)
SELECT * FROM unioned;
