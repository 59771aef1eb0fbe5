-- data_quality snapshot table (source, check, value): the curate stage's counts, retention deletions,
-- per-source file rows read/loaded/rejected and status, rejects per reason class (no values, no line
-- numbers: a reason can quote personal data), missing sources, unknown offence codes, identity fields missing.
WITH sources(source) AS (VALUES ('crime'), ('custody'), ('intel'), ('pins'), ('missing')),
week AS (SELECT max(as_of) AS as_of FROM score.nominal_harm),
latest_file AS (
  -- the drop the week was built from: its own, else the earliest later one (docs/warehouse.md); last load wins
  SELECT f.* FROM raw.files AS f, week
  WHERE week.as_of IS NULL OR f.drop_as_of >= week.as_of
  QUALIFY row_number() OVER (PARTITION BY f.source ORDER BY f.drop_as_of ASC, f.loaded_at DESC) = 1
),
file_rows AS (
  SELECT s.source, f.status, f.rows_read, f.rows_loaded, f.rows_rejected, f.drop_as_of, f.path
  FROM sources AS s LEFT JOIN latest_file AS f USING (source)
),
reject_class AS (
  SELECT r.source,
    regexp_replace(regexp_replace(split_part(r.reason, '; ', 1), ' in .*? line [0-9]+', ''), ':.*$', '') AS reason_class
  FROM raw.rejects AS r JOIN latest_file AS f ON f.source = r.source AND f.drop_as_of = r.drop_as_of
),
unknown_pair AS (
  SELECT DISTINCT offence_code, offence_ref FROM curated.offence WHERE cchi_days IS NULL AND offence_code IS NOT NULL
),
unknown_offence AS (SELECT DISTINCT offence_code FROM unknown_pair)
SELECT source, "check", value::DOUBLE AS value FROM curated.quality
UNION ALL
SELECT 'retention', 'deleted_group_' || "group" || '_' || reason, records::DOUBLE FROM curated.retention_deleted
UNION ALL
SELECT source, 'file_rows_read', coalesce(rows_read, 0)::DOUBLE FROM file_rows
UNION ALL
SELECT source, 'file_rows_loaded', coalesce(rows_loaded, 0)::DOUBLE FROM file_rows
UNION ALL
SELECT source, 'file_rows_rejected', coalesce(rows_rejected, 0)::DOUBLE FROM file_rows
UNION ALL
SELECT source, 'source_missing', CASE WHEN status IS NULL OR status IN ('missing', 'refused') THEN 1 ELSE 0 END::DOUBLE FROM file_rows
UNION ALL
SELECT source, 'file_status:' || coalesce(status, 'never_received'), 1::DOUBLE FROM file_rows
UNION ALL
SELECT source, 'rejected_reason:' || reason_class, count(*)::DOUBLE FROM reject_class GROUP BY ALL
UNION ALL
SELECT 'offence', 'unknown_offence_codes', count(*)::DOUBLE FROM unknown_offence
UNION ALL
SELECT 'offence', 'unknown_offence_code:' || u.offence_code, count(i.record_ref)::DOUBLE
FROM unknown_pair AS u
LEFT JOIN curated.involvement AS i ON i.offence_code = u.offence_code AND i.offence_ref IS NOT DISTINCT FROM u.offence_ref
GROUP BY ALL
UNION ALL
SELECT source, 'identities', count(*)::DOUBLE FROM curated.identity GROUP BY ALL
UNION ALL
SELECT source, 'identity_missing_share:date_of_birth', avg(CASE WHEN date_of_birth IS NULL THEN 1 ELSE 0 END)::DOUBLE FROM curated.identity GROUP BY ALL
UNION ALL
SELECT source, 'identity_missing_share:pnc_id', avg(CASE WHEN nullif(trim(pnc_id), '') IS NULL THEN 1 ELSE 0 END)::DOUBLE FROM curated.identity GROUP BY ALL
UNION ALL
SELECT source, 'identity_missing_share:forenames', avg(CASE WHEN nullif(trim(forenames), '') IS NULL THEN 1 ELSE 0 END)::DOUBLE FROM curated.identity GROUP BY ALL
UNION ALL
SELECT source, 'identity_missing_share:sex', avg(CASE WHEN nullif(trim(sex), '') IS NULL THEN 1 ELSE 0 END)::DOUBLE FROM curated.identity GROUP BY ALL
