-- One group commit of the partner match log (partner-log.ts): the requests and rows staged in the
-- connection's temporary tables (by appender) go into the log in one transaction, and the stage is emptied.
BEGIN TRANSACTION;
INSERT INTO partner_request BY NAME
SELECT request_id, CAST(requested_at AS TIMESTAMP) AS requested_at, partner, username, officer, purpose, legal_basis, channel, row_count,
       snapshot_id, CAST(as_of AS DATE) AS as_of, 'COMPLETED' AS status, NULL::VARCHAR AS refusal, matches, possible_matches, no_matches
FROM temp.hn_stage_request;
INSERT INTO partner_match_row BY NAME
SELECT request_id, line, row_ref, status, nominal_id, probability, confidence, in_network, harm_cchi, harm_cchi_proven, harm_cchi_alleged,
       harm_band, withheld, submitted_surname, submitted_forenames, CAST(submitted_date_of_birth AS DATE) AS submitted_date_of_birth, review_status
FROM temp.hn_stage_row;
DELETE FROM temp.hn_stage_request;
DELETE FROM temp.hn_stage_row;
COMMIT;
