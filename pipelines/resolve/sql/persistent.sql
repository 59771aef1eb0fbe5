-- The persistent person tables (carried across weekly runs; never replaced by a run).

CREATE SCHEMA IF NOT EXISTS person;

CREATE TABLE IF NOT EXISTS person.nominal_registry (
  identity_id VARCHAR PRIMARY KEY,
  nominal_id VARCHAR NOT NULL,
  first_as_of DATE NOT NULL,
  last_as_of DATE NOT NULL
);

CREATE TABLE IF NOT EXISTS person.nominal_change (
  as_of DATE NOT NULL,
  change VARCHAR NOT NULL,          -- NEW | MERGE | SPLIT
  nominal_id VARCHAR NOT NULL,      -- the id created, merged away, or split from
  into_nominal_id VARCHAR,          -- MERGE: the id kept; SPLIT: the id of the part that left
  identities BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS person.decision (
  decision_id BIGINT PRIMARY KEY,
  identity_a VARCHAR NOT NULL,      -- identity_a < identity_b
  identity_b VARCHAR NOT NULL,
  decision VARCHAR NOT NULL CHECK (decision IN ('SAME', 'NOT_SAME')),
  decided_by VARCHAR NOT NULL,
  reason VARCHAR NOT NULL,
  decided_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS person.decision_log (
  logged_at TIMESTAMP NOT NULL,
  action VARCHAR NOT NULL,          -- RECORDED | SUPERSEDES | APPLIED
  decision_id BIGINT NOT NULL,
  identity_a VARCHAR NOT NULL,
  identity_b VARCHAR NOT NULL,
  decision VARCHAR NOT NULL,
  actor VARCHAR NOT NULL,
  detail VARCHAR
);
