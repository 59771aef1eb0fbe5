-- The staging tables of partner-log-write.sql: temporary (this connection only), filled by appender.
CREATE TEMP TABLE IF NOT EXISTS hn_stage_request (
  request_id VARCHAR, requested_at VARCHAR, partner VARCHAR, username VARCHAR, officer VARCHAR, purpose VARCHAR, legal_basis VARCHAR,
  channel VARCHAR, row_count BIGINT, snapshot_id VARCHAR, as_of VARCHAR, matches BIGINT, possible_matches BIGINT, no_matches BIGINT
);
CREATE TEMP TABLE IF NOT EXISTS hn_stage_row (
  request_id VARCHAR, line BIGINT, row_ref VARCHAR, status VARCHAR, nominal_id VARCHAR, probability DOUBLE, confidence VARCHAR, in_network BOOLEAN,
  harm_cchi DOUBLE, harm_cchi_proven DOUBLE, harm_cchi_alleged DOUBLE, harm_band VARCHAR, withheld VARCHAR,
  submitted_surname VARCHAR, submitted_forenames VARCHAR, submitted_date_of_birth VARCHAR, review_status VARCHAR
);
