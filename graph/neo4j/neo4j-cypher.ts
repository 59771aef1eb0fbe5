// Every Cypher statement the publisher runs, as constants: data only ever arrives as parameters
// ($rows, $snapshot_id, $batch_size, $snapshot), never by string building (STYLE.md: UNWIND $rows … MERGE).

/** Labels, relationship types and the mark property of the published model. */
export const MODEL = Object.freeze({
  nominal: 'Nominal',
  network: 'Network',
  snapshot: 'Snapshot',
  associatedWith: 'ASSOCIATED_WITH',
  memberOf: 'MEMBER_OF',
  /** Every node and relationship the publisher writes carries the id of the snapshot that wrote it. */
  mark: 'published_by',
});

/** Created on first run; IF NOT EXISTS makes every later run a no-op. One statement per transaction. */
export const SCHEMA_STATEMENTS: readonly string[] = Object.freeze([
  'CREATE CONSTRAINT harmnet_nominal_id IF NOT EXISTS FOR (n:Nominal) REQUIRE n.nominal_id IS UNIQUE',
  'CREATE CONSTRAINT harmnet_network_id IF NOT EXISTS FOR (w:Network) REQUIRE w.network_id IS UNIQUE',
  'CREATE CONSTRAINT harmnet_snapshot_id IF NOT EXISTS FOR (s:Snapshot) REQUIRE s.snapshot_id IS UNIQUE',
  'CREATE INDEX harmnet_nominal_published_by IF NOT EXISTS FOR (n:Nominal) ON (n.published_by)',
  'CREATE INDEX harmnet_nominal_harm_band IF NOT EXISTS FOR (n:Nominal) ON (n.harm_band)',
  'CREATE INDEX harmnet_nominal_network_id IF NOT EXISTS FOR (n:Nominal) ON (n.network_id)',
  'CREATE INDEX harmnet_network_published_by IF NOT EXISTS FOR (w:Network) ON (w.published_by)',
  'CREATE INDEX harmnet_associated_with_published_by IF NOT EXISTS FOR ()-[r:ASSOCIATED_WITH]-() ON (r.published_by)',
  'CREATE INDEX harmnet_member_of_published_by IF NOT EXISTS FOR ()-[m:MEMBER_OF]-() ON (m.published_by)',
]);

/**
 * Nodes: `SET n = row` replaces every property (so a property dropped from the allow-list or turned
 * NULL does not linger), then the mark. `row` holds the key too, so the key survives the replace.
 */
export const MERGE_NETWORKS = `UNWIND $rows AS row
MERGE (w:Network {network_id: row.network_id})
SET w = row, w.published_by = $snapshot_id
RETURN count(w) AS written`;

export const MERGE_NOMINALS = `UNWIND $rows AS row
MERGE (n:Nominal {nominal_id: row.nominal_id})
SET n = row, n.published_by = $snapshot_id
RETURN count(n) AS written`;

/** Rows {nominal_id, network_id}; nominals and networks are written before memberships. */
export const MERGE_MEMBERSHIPS = `UNWIND $rows AS row
MATCH (n:Nominal {nominal_id: row.nominal_id})
MATCH (w:Network {network_id: row.network_id})
MERGE (n)-[m:MEMBER_OF]->(w)
SET m = {published_by: $snapshot_id}
RETURN count(m) AS written`;

/** Rows {nominal_a, nominal_b, props}; always directed nominal_a → nominal_b (nominal_a < nominal_b). */
export const MERGE_LINKS = `UNWIND $rows AS row
MATCH (a:Nominal {nominal_id: row.nominal_a})
MATCH (b:Nominal {nominal_id: row.nominal_b})
MERGE (a)-[r:ASSOCIATED_WITH]->(b)
SET r = row.props, r.published_by = $snapshot_id
RETURN count(r) AS written`;

/**
 * The deletion set: whatever this publisher's labels/types hold that the publishing snapshot did not
 * mark. Each statement deletes at most $batch_size and is repeated until it deletes fewer.
 * Relationships go first so node deletions only detach what analysts added by hand.
 */
export const SWEEP_LINKS = `MATCH ()-[r:ASSOCIATED_WITH]->()
WHERE r.published_by IS NULL OR r.published_by <> $snapshot_id
WITH r LIMIT $batch_size
DELETE r
RETURN count(*) AS deleted`;

export const SWEEP_MEMBERSHIPS = `MATCH ()-[m:MEMBER_OF]->()
WHERE m.published_by IS NULL OR m.published_by <> $snapshot_id
WITH m LIMIT $batch_size
DELETE m
RETURN count(*) AS deleted`;

export const SWEEP_NOMINALS = `MATCH (n:Nominal)
WHERE n.published_by IS NULL OR n.published_by <> $snapshot_id
WITH n LIMIT $batch_size
DETACH DELETE n
RETURN count(*) AS deleted`;

export const SWEEP_NETWORKS = `MATCH (w:Network)
WHERE w.published_by IS NULL OR w.published_by <> $snapshot_id
WITH w LIMIT $batch_size
DETACH DELETE w
RETURN count(*) AS deleted`;

/**
 * Written last: the record of a complete publish. Until it exists (current = true) for a snapshot,
 * nodes marked with that id are a partial publish. first_published_at is kept on re-publishes.
 */
export const WRITE_SNAPSHOT = `MERGE (s:Snapshot {snapshot_id: $snapshot_id})
ON CREATE SET s.first_published_at = $snapshot.last_published_at
SET s += $snapshot, s.current = true
WITH s
OPTIONAL MATCH (o:Snapshot)
WHERE o.snapshot_id <> $snapshot_id AND o.current = true
SET o.current = false
RETURN count(o) AS superseded`;

/** Read-only: the snapshot the last completed publish recorded (none before the first). */
export const READ_CURRENT_SNAPSHOT = `MATCH (s:Snapshot)
WHERE s.current = true
RETURN s.snapshot_id AS snapshot_id
ORDER BY snapshot_id`;

/**
 * Read-only: what Neo4j currently holds (counts, and nominals not marked by the current snapshot:
 * non-zero after an unfinished publish). Plain aggregation, no subqueries: runs on Neo4j 4.4 to 2025.
 */
export const READ_STATE = `OPTIONAL MATCH (s:Snapshot {current: true})
WITH s.snapshot_id AS current_snapshot_id
OPTIONAL MATCH (n:Nominal)
WITH current_snapshot_id, count(n) AS nominals,
     sum(CASE WHEN n IS NOT NULL AND (current_snapshot_id IS NULL OR n.published_by IS NULL OR n.published_by <> current_snapshot_id) THEN 1 ELSE 0 END) AS nominals_not_current
OPTIONAL MATCH (w:Network)
WITH current_snapshot_id, nominals, nominals_not_current, count(w) AS networks
OPTIONAL MATCH ()-[r:ASSOCIATED_WITH]->()
WITH current_snapshot_id, nominals, nominals_not_current, networks, count(r) AS links
OPTIONAL MATCH ()-[m:MEMBER_OF]->()
RETURN current_snapshot_id, nominals, networks, links, count(m) AS memberships, nominals_not_current`;
