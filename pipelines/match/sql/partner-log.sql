-- The partner match audit log in var/serving.duckdb: one partner_request per request (refused ones
-- too) and one partner_match_row per submitted row of a completed request. Read by the
-- subject-access export (partner_match_row.nominal_id) and the review queue.

CREATE TABLE IF NOT EXISTS partner_request (
  request_id VARCHAR PRIMARY KEY,        -- 'PM-' + date + sequence, e.g. PM-20261116-000042
  requested_at TIMESTAMP NOT NULL,
  partner VARCHAR NOT NULL,              -- partner organisation (the requester's account's partner)
  username VARCHAR,                      -- signed-in account (API) or operating-system user (CLI)
  officer VARCHAR NOT NULL,              -- the requesting officer, as stated
  purpose VARCHAR NOT NULL,
  legal_basis VARCHAR NOT NULL,          -- a code from LEGAL_BASES, or what was sent when refused
  channel VARCHAR NOT NULL,              -- api | cli
  row_count BIGINT NOT NULL,             -- rows submitted (0 when the file could not be read)
  snapshot_id VARCHAR,
  as_of DATE,
  status VARCHAR NOT NULL,               -- COMPLETED | REFUSED
  refusal VARCHAR,                       -- the error message when REFUSED
  matches BIGINT NOT NULL DEFAULT 0,
  possible_matches BIGINT NOT NULL DEFAULT 0,
  no_matches BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS partner_match_row (
  request_id VARCHAR NOT NULL,
  line BIGINT NOT NULL,                  -- line in the upload (or JSON row number)
  row_ref VARCHAR NOT NULL,              -- the partner's own reference
  status VARCHAR NOT NULL,               -- what the partner was told: MATCH | POSSIBLE_MATCH | NO_MATCH
  nominal_id VARCHAR,                    -- the nominal found (also when withheld), NULL when none
  probability DOUBLE,
  confidence VARCHAR,                    -- Probability Yardstick term shown
  in_network BOOLEAN,
  harm_cchi DOUBLE,
  harm_cchi_proven DOUBLE,
  harm_cchi_alleged DOUBLE,
  harm_band VARCHAR,
  withheld VARCHAR,                      -- 'safeguarding_only' when a found nominal was reported as NO_MATCH
  submitted_surname VARCHAR,             -- kept only for POSSIBLE_MATCH rows, for the lab's review
  submitted_forenames VARCHAR,
  submitted_date_of_birth DATE,
  review_status VARCHAR,                 -- POSSIBLE_MATCH only: PENDING | CONFIRMED | REJECTED
  reviewed_by VARCHAR,
  reviewed_at TIMESTAMP,
  review_reason VARCHAR,
  PRIMARY KEY (request_id, line)
);
