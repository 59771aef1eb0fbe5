// Against a real Neo4j, only when NEO4J_URI is set (with NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE).
// WARNING: it deletes every :Nominal, :Network and :Snapshot node in that database first — use a test database.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { freshContext, removeDir } from '../helpers/context.ts';
import { memoryLog } from '../../pipelines/core/log.ts';
import type { StageContext } from '../../pipelines/core/context.ts';
import { neo4jSettingsFromEnv, openNeo4jDriver, type Neo4jConnectionSettings } from '../../graph/neo4j/neo4j-connection.ts';
import { publishSnapshot } from '../../graph/neo4j/publish-snapshot.ts';
import { READ_STATE } from '../../graph/neo4j/neo4j-cypher.ts';
import { BRIDGES_BETWEEN_NETWORKS, BROKERS_BETWEEN_NETWORKS, TWO_HOP_NETWORK } from '../../graph/neo4j/example-queries.ts';
import { WEEK1, WEEK2, writeDemoSnapshot } from './demo-snapshot.ts';

const URI = process.env.NEO4J_URI;

describe.skipIf(!URI)('Neo4j integration (runs only when NEO4J_URI is set; skipped: NEO4J_URI is not set)', () => {
  let connection: Neo4jConnectionSettings;
  let driver: Driver;
  let ctx: StageContext & { root: string };
  let dir: string;
  let week1: string;
  let week2: string;

  const read = async (cypher: string, params: Record<string, unknown> = {}) => {
    const session = driver.session(connection.database ? { database: connection.database } : {});
    try {
      return (await session.executeRead((tx) => tx.run(cypher, params))).records.map((r) => r.toObject() as Record<string, unknown>);
    } finally {
      await session.close();
    }
  };
  /** Every harmnet node and relationship with all its properties, in a stable order. */
  const dump = async () => ({
    nodes: await read('MATCH (n) WHERE n:Nominal OR n:Network RETURN labels(n) AS labels, coalesce(n.nominal_id, n.network_id) AS id, properties(n) AS props ORDER BY id'),
    rels: await read('MATCH (a)-[r:ASSOCIATED_WITH|MEMBER_OF]->(b) RETURN type(r) AS type, a.nominal_id AS a, coalesce(b.nominal_id, b.network_id) AS b, properties(r) AS props ORDER BY type, a, b'),
  });
  const publish = (id: string) => publishSnapshot({ connection, snapshotsDir: dir, snapshotId: id, options: { batchSize: 2 }, log: memoryLog(), clock: () => new Date('2026-11-16T06:00:00Z') });

  beforeAll(async () => {
    connection = neo4jSettingsFromEnv(process.env).connection!;
    driver = await openNeo4jDriver(connection);
    const session = driver.session(connection.database ? { database: connection.database } : {});
    try {
      await session.executeWrite((tx) => tx.run('MATCH (n) WHERE n:Nominal OR n:Network OR n:Snapshot DETACH DELETE n'));
    } finally {
      await session.close();
    }
    ctx = await freshContext();
    dir = path.join(ctx.root, 'snaps');
    week1 = await writeDemoSnapshot(ctx, dir, '2026-11-09', WEEK1);
    week2 = await writeDemoSnapshot(ctx, dir, '2026-11-16', WEEK2);
  }, 120_000);

  afterAll(async () => {
    await driver?.close();
    ctx?.db.close();
    if (ctx) removeDir(ctx.root);
  });

  it('publishing the same snapshot twice leaves identical counts and properties', async () => {
    const first = await publish(week1);
    expect(first.written).toEqual({ networks: 2, nominals: 5, memberships: 5, links: 3 });
    const state1 = await read(READ_STATE);
    const dump1 = await dump();
    const second = await publish(week1);
    expect(second.counters.nodesCreated).toBe(0);
    expect(second.counters.relationshipsCreated).toBe(0);
    expect(second.deleted).toEqual({ networks: 0, nominals: 0, memberships: 0, links: 0 });
    expect(second.expected_deleted).toEqual({ networks: 0, nominals: 0, memberships: 0, links: 0 });
    expect(await read(READ_STATE)).toEqual(state1);
    expect(state1).toEqual([{ current_snapshot_id: week1, nominals: 5, networks: 2, links: 3, memberships: 5, nominals_not_current: 0 }]);
    expect(await dump()).toEqual(dump1);
  }, 120_000);

  it('a deletion in the next snapshot propagates (N3 removed by MOPI, N6 moved to W3)', async () => {
    const report = await publish(week2);
    expect(report.deleted).toEqual({ networks: 0, nominals: 1, memberships: 2, links: 1 });
    expect(report.expected_deleted).toEqual(report.deleted);
    expect(await read(READ_STATE)).toEqual([{ current_snapshot_id: week2, nominals: 4, networks: 3, links: 3, memberships: 4, nominals_not_current: 0 }]);
    expect(await read('MATCH (n:Nominal {nominal_id: $id}) RETURN count(n) AS n', { id: 'N3' })).toEqual([{ n: 0 }]);
    expect(await read('MATCH (:Nominal {nominal_id: $id})-[:MEMBER_OF]->(w:Network) RETURN w.network_id AS w', { id: 'N6' })).toEqual([{ w: 'W3' }]);
    expect(await read('MATCH (s:Snapshot) RETURN s.snapshot_id AS id, s.current AS current ORDER BY id')).toEqual([
      { id: week1, current: false }, { id: week2, current: true },
    ]);
  }, 120_000);

  it("a property query returns the snapshot's figures, and no personal details by default", async () => {
    const [n1] = await read('MATCH (n:Nominal {nominal_id: $id}) RETURN n.harm_cchi AS harm_cchi, n.harm_band AS harm_band, n.harm_rank AS harm_rank, n.pagerank AS pagerank, n.display_name AS name, n.date_of_birth AS dob, n.published_by AS published_by', { id: 'N1' });
    expect(n1).toEqual({ harm_cchi: 410, harm_band: 'A', harm_rank: 1, pagerank: 0.4, name: null, dob: null, published_by: week2 });
    expect(await read('MATCH (n:Nominal {nominal_id: $id}) RETURN count(n) AS n', { id: 'N4' })).toEqual([{ n: 0 }]);
    const [link] = await read('MATCH (:Nominal {nominal_id: $a})-[r:ASSOCIATED_WITH]->(:Nominal {nominal_id: $b}) RETURN r.link_types AS types, r.evidential_class AS class, toString(r.first_seen) AS first_seen, r.evidence_count AS n', { a: 'N1', b: 'N2' });
    expect(link).toEqual({ types: ['CO_OFFENDING', 'INTEL_ASSOCIATION'], class: 'recorded crime; intelligence — not evidence', first_seen: '2024-01-10', n: 3 });
  }, 120_000);

  it('the documented analyst queries run and answer on the demo', async () => {
    const hops = await read(TWO_HOP_NETWORK, { nominal_id: 'N1' });
    expect(hops.map((r) => `${r.from_nominal}-${r.to_nominal}`)).toEqual(['N1-N2', 'N2-N5']);
    const bridges = await read(BRIDGES_BETWEEN_NETWORKS, { network_a: 'W1', network_b: 'W2' });
    expect(bridges.map((r) => `${r.in_a}-${r.in_b}`)).toEqual(['N2-N5']);
    const brokers = await read(BROKERS_BETWEEN_NETWORKS, { network_a: 'W1', network_b: 'W2' });
    expect(brokers.map((r) => [r.broker, r.contacts_in_a, r.contacts_in_b])).toEqual([['N2', ['N1'], ['N5']]]);
  }, 120_000);
});
