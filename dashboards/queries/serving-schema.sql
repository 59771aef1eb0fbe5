-- Serving state (var/serving.duckdb): accounts, sessions, the hash-chained audit log, feedback,
-- caveat acknowledgements and time-limited access grants. Created idempotently at server start.
CREATE TABLE IF NOT EXISTS users (
  username      VARCHAR PRIMARY KEY,
  role          VARCHAR NOT NULL,
  password_hash VARCHAR NOT NULL,
  disabled      BOOLEAN NOT NULL DEFAULT false,
  created_at    TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS access_grants (
  username       VARCHAR NOT NULL,
  granted_at     TIMESTAMP NOT NULL,
  valid_until    TIMESTAMP NOT NULL,
  authorised_by  VARCHAR NOT NULL
);
-- session_hash = sha256(cookie value): a copy of this table does not hand out live sessions.
CREATE TABLE IF NOT EXISTS sessions (
  session_hash   VARCHAR PRIMARY KEY,
  username       VARCHAR NOT NULL,
  csrf_token     VARCHAR NOT NULL,
  created_at     TIMESTAMP NOT NULL,
  expires_at     TIMESTAMP NOT NULL,
  caveats_acknowledged_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS login_failures (
  username  VARCHAR NOT NULL,
  ip        VARCHAR NOT NULL,
  failed_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS caveat_acknowledgements (
  username        VARCHAR NOT NULL,
  session_hash    VARCHAR NOT NULL,
  acknowledged_at TIMESTAMP NOT NULL,
  caveats_version VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS feedback (
  feedback_id  BIGINT PRIMARY KEY,
  submitted_at TIMESTAMP NOT NULL,
  username     VARCHAR NOT NULL,
  role         VARCHAR NOT NULL,
  kind         VARCHAR NOT NULL,
  page         VARCHAR,
  snapshot_id  VARCHAR,
  message      VARCHAR NOT NULL,
  status       VARCHAR NOT NULL DEFAULT 'open'
);
-- Every status change of a feedback report (who, when, what it became, a note): tracked to closure.
CREATE TABLE IF NOT EXISTS feedback_history (
  feedback_id BIGINT NOT NULL,
  changed_at  TIMESTAMP NOT NULL,
  username    VARCHAR NOT NULL,
  status      VARCHAR NOT NULL,
  note        VARCHAR
);
-- Append-only: rows are only ever inserted; hash = sha256(prev_hash || canonical row).
CREATE TABLE IF NOT EXISTS audit_log (
  seq          BIGINT PRIMARY KEY,
  logged_at    TIMESTAMP NOT NULL,
  username     VARCHAR NOT NULL,
  role         VARCHAR NOT NULL,
  action       VARCHAR NOT NULL,
  subject_type VARCHAR,
  subject_id   VARCHAR,
  snapshot_id  VARCHAR,
  detail       VARCHAR,
  prev_hash    VARCHAR NOT NULL,
  hash         VARCHAR NOT NULL
);
