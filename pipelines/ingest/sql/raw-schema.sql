-- The persistent raw schema (per-source tables are created from the contract by ingest-drop.ts).
CREATE SCHEMA IF NOT EXISTS raw;

CREATE TABLE IF NOT EXISTS raw.rejects (
  source VARCHAR, drop_as_of DATE, source_file VARCHAR, line BIGINT, raw_text VARCHAR, reason VARCHAR
);

-- Append-only log of every file decision; the latest 'loaded' row per (source, drop_as_of) is what raw holds.
CREATE TABLE IF NOT EXISTS raw.files (
  source VARCHAR, drop_as_of DATE, path VARCHAR, sha256 VARCHAR,
  rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT,
  status VARCHAR, message VARCHAR, loaded_at TIMESTAMP
);
