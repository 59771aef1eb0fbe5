-- MOPI retention as at $as_of: marks curated records past their period (harmnet's mapping, docs/curation.md),
-- removes them from curated, and purges the deletions (groups 1 and 3) from raw.
-- Group 1: kept to the subject's 100th birthday (latest recorded DOB of that source identity; unknown DOB kept).
-- Group 2: record older than the review period → review due, removed from curated pending review.
-- Group 3: the source identity's newest record (any group) is older than the clear period.
CREATE OR REPLACE TEMP TABLE retention_marked AS
WITH source AS (
  SELECT source, line, identity_id, person_ref, record_date, mopi_group FROM curated.involvement
),
person AS (
  SELECT identity_id, max(record_date) AS last_record FROM curated.involvement GROUP BY identity_id
),
dob AS (
  SELECT identity_id, max(date_of_birth) AS date_of_birth FROM curated.identity GROUP BY identity_id
),
final AS (
  SELECT s.source, s.line, s.person_ref, s.mopi_group AS "group",
    CASE
      WHEN s.mopi_group = 1 AND d.date_of_birth + to_years(CAST($group1_age_years AS INTEGER)) <= $as_of::DATE THEN 'subject_100th_birthday'
      WHEN s.mopi_group = 2 AND s.record_date + to_years(CAST($group2_review_years AS INTEGER)) <= $as_of::DATE THEN 'review_due_10_years'
      WHEN s.mopi_group = 3 AND p.last_record + to_years(CAST($group3_clear_years AS INTEGER)) <= $as_of::DATE THEN 'clear_period_6_years'
    END AS reason
  FROM source s JOIN person p USING (identity_id) LEFT JOIN dob d USING (identity_id)
)
SELECT * FROM final WHERE reason IS NOT NULL;

-- Groups 1 and 3 are deletions: the record leaves raw too, in every drop that holds it (it is gone from
-- the warehouse at once; it leaves non-held snapshots when they expire). Group 2 is a review, so raw keeps it.
CREATE OR REPLACE TEMP TABLE retention_purge AS
SELECT 'crime' AS source, c.crime_ref AS k1, c.person_ref AS k2, r."group", r.reason FROM curated.crime AS c JOIN retention_marked AS r ON r.source = 'crime' AND r.line = c.line WHERE r."group" IN (1, 3)
UNION ALL
SELECT 'custody', c.custody_ref, c.person_ref, r."group", r.reason FROM curated.custody AS c JOIN retention_marked AS r ON r.source = 'custody' AND r.line = c.line WHERE r."group" IN (1, 3)
UNION ALL
SELECT 'intel', c.intel_ref, c.person_ref, r."group", r.reason FROM curated.intel AS c JOIN retention_marked AS r ON r.source = 'intel' AND r.line = c.line WHERE r."group" IN (1, 3)
UNION ALL
SELECT 'pins', c.prison_number, c.reception_date::VARCHAR, r."group", r.reason FROM curated.pins AS c JOIN retention_marked AS r ON r.source = 'pins' AND r.line = c.line WHERE r."group" IN (1, 3)
UNION ALL
SELECT 'missing', c.episode_ref, c.person_ref, r."group", r.reason FROM curated.missing AS c JOIN retention_marked AS r ON r.source = 'missing' AND r.line = c.line WHERE r."group" IN (1, 3);

DELETE FROM raw.crime t USING retention_purge p WHERE p.source = 'crime' AND trim(t.crime_ref) = p.k1 AND trim(t.person_ref) = p.k2;
DELETE FROM raw.custody t USING retention_purge p WHERE p.source = 'custody' AND trim(t.custody_ref) = p.k1 AND trim(t.person_ref) = p.k2;
DELETE FROM raw.intel t USING retention_purge p WHERE p.source = 'intel' AND trim(t.intel_ref) = p.k1 AND trim(t.person_ref) = p.k2;
DELETE FROM raw.pins t USING retention_purge p WHERE p.source = 'pins' AND trim(t.prison_number) = p.k1 AND try_cast(trim(t.reception_date) AS DATE)::VARCHAR = p.k2;
DELETE FROM raw.missing t USING retention_purge p WHERE p.source = 'missing' AND trim(t.episode_ref) = p.k1 AND trim(t.person_ref) = p.k2;
-- How many were purged, by group and reason, and in which week's run (counts only: never who, never keys).
-- A re-run of the week finds them gone already; its deletion report reads this log, so it is unchanged.
CREATE TABLE IF NOT EXISTS raw.mopi_purge_log (purged_as_of DATE, "group" INTEGER, reason VARCHAR, records BIGINT);
INSERT INTO raw.mopi_purge_log SELECT $as_of::DATE, "group", reason, count(*) FROM retention_purge GROUP BY ALL;
DROP TABLE retention_purge;

DELETE FROM curated.crime t USING retention_marked r WHERE r.source = 'crime' AND t.line = r.line;
DELETE FROM curated.custody t USING retention_marked r WHERE r.source = 'custody' AND t.line = r.line;
DELETE FROM curated.intel t USING retention_marked r WHERE r.source = 'intel' AND t.line = r.line;
DELETE FROM curated.pins t USING retention_marked r WHERE r.source = 'pins' AND t.line = r.line;
DELETE FROM curated.missing t USING retention_marked r WHERE r.source = 'missing' AND t.line = r.line;

CREATE TABLE IF NOT EXISTS curated.retention_deleted ("group" INTEGER, reason VARCHAR, records BIGINT);
DELETE FROM curated.retention_deleted;
-- Group 2 (review due) is counted from this run's marks; groups 1 and 3 (deletions) from the purge log of
-- this week, so the report is the same however often the week is run.
INSERT INTO curated.retention_deleted
SELECT g."group", g.reason,
  CASE WHEN g."group" = 2 THEN (SELECT count(*) FROM retention_marked r WHERE r."group" = 2)
       ELSE (SELECT coalesce(sum(records), 0) FROM raw.mopi_purge_log p WHERE p.purged_as_of = $as_of::DATE AND p."group" = g."group" AND p.reason = g.reason)
  END::BIGINT AS records
FROM (VALUES (1, 'subject_100th_birthday'), (2, 'review_due_10_years'), (3, 'clear_period_6_years')) AS g("group", reason)
ORDER BY g."group";

-- The identities touched are rebuilt (identity-refresh.sql); the rest of curated.identity is unchanged.
CREATE OR REPLACE TEMP TABLE retention_people AS SELECT DISTINCT source, person_ref FROM retention_marked;
DROP TABLE retention_marked;
