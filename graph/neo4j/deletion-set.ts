// What a publish should delete from Neo4j, computed from the two snapshots (previously published →
// this one) with the same publishing rules; the publisher compares it with what its sweep deleted.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ident, literal, type Db } from '../../pipelines/core/db.ts';
import { readManifest, snapshotFolder } from '../../pipelines/snapshot/read-snapshot.ts';
import type { Entity } from './neo4j-rows.ts';

const SQL = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sql');

export interface DeletionSet {
  previous_snapshot_id: string;
  nominals: string[];
  networks: string[];
  links: Array<[string, string]>;
  memberships: Array<[string, string]>;
}

/**
 * Requires prepareNeo4jRows to have run on `db` (this snapshot). Reads the previous snapshot's
 * Parquet files through views prev_*; ids are sorted so the set is deterministic.
 */
export async function deletionSet(db: Db, snapshotsDir: string, previousId: string, includeSafeguardingOnly: boolean): Promise<DeletionSet> {
  const manifest = readManifest(snapshotsDir, previousId);
  const folder = snapshotFolder(snapshotsDir, previousId);
  for (const name of ['nominals', 'edges', 'networks']) {
    const file = manifest.tables[name]?.file ?? `${name}.parquet`;
    await db.run(`CREATE OR REPLACE TEMP VIEW ${ident(`prev_${name}`)} AS SELECT * FROM read_parquet(${literal(path.resolve(folder, file))})`);
  }
  await db.runFile(path.join(SQL, 'neo4j_deletion_set.sql'), { include_safeguarding_only: includeSafeguardingOnly });
  const ids = async (sql: string) => (await db.all(sql)).map((r) => Object.values(r).map(String));
  return {
    previous_snapshot_id: previousId,
    nominals: (await ids('SELECT nominal_id FROM neo4j_deleted_nominals ORDER BY 1')).map((r) => r[0]!),
    networks: (await ids('SELECT network_id FROM neo4j_deleted_networks ORDER BY 1')).map((r) => r[0]!),
    links: (await ids('SELECT nominal_a, nominal_b FROM neo4j_deleted_links ORDER BY 1, 2')).map((r) => [r[0]!, r[1]!]),
    memberships: (await ids('SELECT nominal_id, network_id FROM neo4j_deleted_memberships ORDER BY 1, 2')).map((r) => [r[0]!, r[1]!]),
  };
}

export function deletionCounts(d: DeletionSet): Record<Entity, number> {
  return { networks: d.networks.length, nominals: d.nominals.length, memberships: d.memberships.length, links: d.links.length };
}
