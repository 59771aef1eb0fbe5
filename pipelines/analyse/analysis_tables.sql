-- analysis.*: the week's networks, members, centralities and alerts (rebuilt each week), and the persistent
-- history the change analysis reads (network harm, membership, ranks, first week each link type was seen).
CREATE SCHEMA IF NOT EXISTS analysis;
CREATE OR REPLACE TABLE analysis.network (
  network_id VARCHAR, size INTEGER, lineage_event VARCHAR, parent_network_ids VARCHAR, jaccard DOUBLE,
  harm_cchi_4w_ago DOUBLE, harm_cchi_12w_ago DOUBLE, harm_rising_4w BOOLEAN, harm_rising_12w BOOLEAN,
  betweenness_method VARCHAR, betweenness_pivots INTEGER, betweenness_error_bound DOUBLE
);
CREATE OR REPLACE TABLE analysis.network_member (network_id VARCHAR, nominal_id VARCHAR);
CREATE OR REPLACE TABLE analysis.network_event (network_id VARCHAR, lineage_event VARCHAR, parent_network_ids VARCHAR);
CREATE OR REPLACE TABLE analysis.centrality (
  nominal_id VARCHAR, network_id VARCHAR, degree INTEGER, weighted_degree DOUBLE, pagerank DOUBLE, eigenvector DOUBLE,
  betweenness DOUBLE, betweenness_in_network DOUBLE, closeness DOUBLE, key_player_impact DOUBLE, harm_cut_off_cchi DOUBLE,
  pagerank_rank INTEGER, pagerank_rank_change_1w INTEGER, pagerank_rank_change_12w INTEGER,
  betweenness_rank INTEGER, betweenness_rank_change_1w INTEGER, betweenness_rank_change_12w INTEGER,
  degree_rank INTEGER, degree_rank_change_1w INTEGER, degree_rank_change_12w INTEGER,
  weighted_degree_rank INTEGER, weighted_degree_rank_change_1w INTEGER, weighted_degree_rank_change_12w INTEGER,
  eigenvector_rank INTEGER, eigenvector_rank_change_1w INTEGER, eigenvector_rank_change_12w INTEGER,
  closeness_rank INTEGER, closeness_rank_change_1w INTEGER, closeness_rank_change_12w INTEGER,
  key_player_impact_rank INTEGER, key_player_impact_rank_change_1w INTEGER, key_player_impact_rank_change_12w INTEGER
);
CREATE OR REPLACE TABLE analysis.gaining_influence (measure VARCHAR, position INTEGER, nominal_id VARCHAR, rank INTEGER, rank_change_1w INTEGER);
CREATE OR REPLACE TABLE analysis.alert (alert_type VARCHAR, subject_id VARCHAR, detail VARCHAR, evidence VARCHAR);
CREATE TABLE IF NOT EXISTS analysis.network_history (as_of DATE, network_id VARCHAR, size INTEGER, harm_cchi DOUBLE, active_members INTEGER);
-- active_members (activity-aware tracking) was added later: warehouses made before it gain the column, NULL for old weeks.
ALTER TABLE analysis.network_history ADD COLUMN IF NOT EXISTS active_members INTEGER;
CREATE TABLE IF NOT EXISTS analysis.network_member_history (as_of DATE, network_id VARCHAR, nominal_id VARCHAR);
CREATE TABLE IF NOT EXISTS analysis.rank_history (
  as_of DATE, nominal_id VARCHAR, degree INTEGER, weighted_degree INTEGER, pagerank INTEGER, eigenvector INTEGER,
  betweenness INTEGER, closeness INTEGER, key_player_impact INTEGER
);
CREATE TABLE IF NOT EXISTS analysis.link_seen (nominal_a VARCHAR, nominal_b VARCHAR, link_type VARCHAR, first_as_of DATE);
CREATE TABLE IF NOT EXISTS analysis.key_nominal_review (nominal_id VARCHAR, reviewed_by VARCHAR, reviewed_at TIMESTAMP, reason VARCHAR);
-- A re-run of a week replaces what that week (and any later one) wrote to the history.
DELETE FROM analysis.network_history WHERE as_of >= $as_of::DATE;
DELETE FROM analysis.network_member_history WHERE as_of >= $as_of::DATE;
DELETE FROM analysis.rank_history WHERE as_of >= $as_of::DATE OR as_of < $as_of::DATE - INTERVAL 13 WEEK;
DELETE FROM analysis.link_seen WHERE first_as_of >= $as_of::DATE;
